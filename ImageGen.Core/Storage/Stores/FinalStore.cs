using Dapper;
using ImageGen.Core.Imaging;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Storage;

public sealed record FinalRecord(long Id, long RunImageId, string Path, long CreatedAt, long? ReplacedAt);

/// <summary>
/// Marks a candidate final: its file is copied to <c>images/&lt;project&gt;/&lt;item&gt;/final/&lt;item-slug&gt;.&lt;ext&gt;</c> and the
/// choice recorded; choosing again replaces the file and keeps the earlier records. Also stars.
/// </summary>
public sealed class FinalStore(Database database, TimeProvider time)
{
    private sealed record Candidate(string Path, string Format, string ProjectSlug, string ItemSlug);

    /// <returns>The final's relative path, or null when the image is not a candidate of the work item.</returns>
    public async Task<string?> FinalizeAsync(long workItemId, long imageId, CancellationToken cancellationToken = default)
    {
        var candidate = await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Candidate>("""
            SELECT i.path, i.format, p.slug AS project_slug, w.slug AS item_slug
            FROM run_images i JOIN runs r ON r.id = i.run_id JOIN work_items w ON w.id = r.work_item_id JOIN projects p ON p.id = w.project_id
            WHERE i.id = @imageId AND w.id = @workItemId AND r.status = 'succeeded'
            """, new { imageId, workItemId }), cancellationToken);
        if (candidate is null || database.Root.ResolveStoredImage(candidate.Path) is not { } source || !File.Exists(source))
        {
            return null;
        }
        var folder = Path.Combine(database.Root.ImagesDir, Slug.EnsureValid(candidate.ProjectSlug), Slug.EnsureValid(candidate.ItemSlug), "final");
        Directory.CreateDirectory(folder);
        if (!database.Root.ContainsReal(folder))
        {
            // A link somewhere along images/<project>/<item>/final leads out of the data folder: write nothing there.
            throw new InvalidOperationException($"The final folder '{database.Root.ToRelative(folder)}' leads outside the data folder through a symbolic link; nothing was written.");
        }
        var destination = Path.Combine(folder, $"{candidate.ItemSlug}.{ImageFormats.Extension(candidate.Format)}");
        // Copy beside the destination first, commit, then rename over it: the final file is never half-written.
        var staging = Path.Combine(folder, $".staging-{Guid.NewGuid():N}");
        File.Copy(source, staging);
        try
        {
            var relative = database.Root.ToRelative(destination);
            await database.WriteAsync(async (c, t) =>
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                await c.ExecuteAsync("UPDATE finals SET replaced_at = @now WHERE work_item_id = @workItemId AND replaced_at IS NULL", new { workItemId, now }, t);
                await c.ExecuteAsync("INSERT INTO finals (work_item_id, run_image_id, path, created_at) VALUES (@workItemId, @imageId, @relative, @now)",
                    new { workItemId, imageId, relative, now }, t);
                await c.ExecuteAsync("UPDATE work_items SET status = 'final', updated_at = @now WHERE id = @workItemId", new { workItemId, now }, t);
            }, cancellationToken);
            // Other formats of an earlier final (png before, webp now) would be stale: remove them.
            foreach (var stale in Directory.EnumerateFiles(folder, $"{candidate.ItemSlug}.*").Where(f => f != destination))
            {
                File.Delete(stale);
            }
            File.Move(staging, destination, overwrite: true);
            return relative;
        }
        finally
        {
            if (File.Exists(staging))
            {
                File.Delete(staging);
            }
        }
    }

    public Task<IReadOnlyList<FinalRecord>> HistoryAsync(long workItemId, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<FinalRecord>>(async c => (await c.QueryAsync<FinalRecord>(
            "SELECT id, run_image_id, path, created_at, replaced_at FROM finals WHERE work_item_id = @workItemId ORDER BY id DESC LIMIT 100",
            new { workItemId })).ToList(), cancellationToken);

    /// <summary>Stars or unstars a candidate of the work item. False when it is not one.</summary>
    public Task<bool> SetStarAsync(long workItemId, long imageId, bool starred, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync("""
            UPDATE run_images SET starred = @starred
            WHERE id = @imageId AND run_id IN (SELECT id FROM runs WHERE work_item_id = @workItemId)
            """, new { workItemId, imageId, starred = starred ? 1 : 0 }, t) == 1, cancellationToken);
}
