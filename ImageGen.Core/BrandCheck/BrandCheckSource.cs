using Dapper;
using ImageGen.Core.Assets;
using ImageGen.Core.Files;
using ImageGen.Core.Generation;
using ImageGen.Core.Storage;

namespace ImageGen.Core.BrandCheck;

/// <summary>
/// What a job's candidates are checked against, read once per job: the rules of the brand revision the job was queued with
/// (so a later edit does not change what an older run is measured by), the work item's type, and the brand's logo assets
/// that are offered now (at most <see cref="MaxLogos"/>).
/// </summary>
public sealed class BrandCheckSource(Database database, IImageStore images)
{
    public const int MaxLogos = 4;

    private sealed record Row(long BrandId, string ContentMarkdown, string? Type);

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
                SELECT b.brand_id, b.content_markdown, w.type
                FROM brand_revisions b LEFT JOIN work_items w ON w.id = @workItemId
                WHERE b.id = @revisionId
                """, new { revisionId, workItemId = spec.Origin.WorkItemId });
            var logos = row is null ? [] : (await c.QueryAsync<LogoRow>("""
                SELECT path, original_name, id FROM assets
                WHERE brand_id = @BrandId AND role = @role AND retired_at IS NULL ORDER BY id LIMIT @limit
                """, new { row.BrandId, role = AssetRoles.Logo, limit = MaxLogos })).ToList();
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
}
