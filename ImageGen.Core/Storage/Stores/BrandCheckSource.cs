using Dapper;
using ImageGen.Core.Assets;
using ImageGen.Core.Files;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;
using ImageGen.Core.BrandCheck;

namespace ImageGen.Core.Storage;

/// <summary>
/// What a job's candidates are checked against, read once per job: the brand revision the job was queued with, so a later
/// edit changes neither what an older run is measured by nor what it is looked at for: its rules, and the logo assets it
/// offered (its <c>asset_ids</c>, at most <see cref="MaxLogos"/>, retired ones included), and the work item's type.
/// </summary>
public sealed class BrandCheckSource(Database database, IImageStore images)
{
    public const int MaxLogos = 4;

    private sealed record Row(string ContentMarkdown, string AssetIds, string? Type);

    private sealed record LogoRow(string Path, string OriginalName, long Id);

    /// <returns>Null when the job has no brand: its candidates get no brand check.</returns>
    public async Task<BrandCheckContext?> ForAsync(JobSpec spec, CancellationToken cancellationToken = default)
    {
        if (spec.Origin?.BrandRevisionId is not { } revisionId)
        {
            return null;
        }
        var (row, logos) = await database.ReadAsync(async c =>
        {
            var row = await c.QuerySingleOrDefaultAsync<Row>("""
                SELECT b.content_markdown, b.asset_ids, w.type
                FROM brand_revisions b LEFT JOIN work_items w ON w.id = @workItemId
                WHERE b.id = @revisionId
                """, new { revisionId, workItemId = spec.Origin.WorkItemId });
            // The revision's logos, retired since or not: an asset a run used is retired, never deleted, so its file is
            // still there. One deleted since (no run used it) is gone from the table and not looked for.
            var assetIds = row is null ? [] : AssetIds(row.AssetIds);
            var logos = assetIds.Length == 0 ? [] : (await c.QueryAsync<LogoRow>($"""
                SELECT path, original_name, id FROM assets
                WHERE {database.Dialect.IsAnyOf("id", "@assetIds")} AND role = @role ORDER BY id LIMIT @limit
                """, new { assetIds, role = AssetRoles.Logo, limit = MaxLogos })).ToList();
            return (row, logos);
        }, cancellationToken);
        if (row is null)
        {
            return BrandCheckContext.Unreadable("The brand revision the job was queued with no longer exists.", revisionId);
        }
        var templates = new List<LogoTemplate>();
        var problems = new List<string>();
        foreach (var logo in logos)
        {
            var name = logo.OriginalName.Length > 0 ? logo.OriginalName : $"asset {logo.Id}";
            try
            {
                var file = images.LocalFile(logo.Path) ?? throw new FileNotFoundException("the file is missing from the data folder");
                templates.Add(LogoTemplate.Load(file, name));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NetVips.VipsException or UnauthorizedAccessException)
            {
                problems.Add($"the logo '{name}' could not be read ({e.Message})");
            }
        }
        return new BrandCheckContext(BrandRules.Parse(row.ContentMarkdown), row.Type ?? "other", templates, revisionId) { LogoProblems = problems };
    }

    /// <summary>A revision's <c>asset_ids</c>: the ids of the brand's active assets then, comma-separated (CatalogStore.AddRevisionAsync).</summary>
    /// <exception cref="InvalidDataException">The column holds something else.</exception>
    internal static long[] AssetIds(string stored) =>
        stored.Length == 0
            ? []
            : stored.Split(',').Select(id => long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidDataException($"The brand revision's asset list '{stored}' is not a list of asset ids.")).ToArray();
}
