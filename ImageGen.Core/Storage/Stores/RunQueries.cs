using Dapper;
using ImageGen.Core.BrandCheck;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Storage;

public sealed class RunView
{
    public long Id { get; init; }
    public long JobId { get; init; }
    public int Attempt { get; init; }
    public string Model { get; init; } = "";
    public string Prompt { get; init; } = "";
    public string SettingsJson { get; init; } = "";

    /// <summary>The spec the run was made with, read once from <see cref="SettingsJson"/> (any stored version).</summary>
    public JobSpec Spec => field ??= JobSpec.ForRun(SettingsJson, Model, Prompt);

    public string Status { get; init; } = "";
    public string? ErrorMessage { get; init; }
    public long CreatedAt { get; init; }
    public long? FinishedAt { get; init; }
    public long? ParentRunId { get; init; }
    public string? Adjustment { get; init; }

    /// <summary>What it cost (from the price table when it was stored); null when not priced.</summary>
    public double? CostUsd { get; init; }

    /// <summary>Images asked for that the provider did not deliver (the run stopped short).</summary>
    public int? Missing { get; init; }

    public string? ProviderJson { get; init; }

    /// <summary>The status of the job the run belongs to now (a failed job can be retried).</summary>
    public string? JobStatus { get; init; }

    /// <summary>What the provider said: the size sent, request ids, model version, usage, the seed note.</summary>
    public RunFacts? Facts => field ??= RunFacts.FromJson(ProviderJson);

    public List<RunImageView> Images { get; } = [];
}

/// <summary>Where an image came from: its run and job, and its work item and project when it has one.</summary>
public sealed class ImageOrigin
{
    public long RunId { get; init; }
    public long JobId { get; init; }
    public string Model { get; init; } = "";
    public string Prompt { get; init; } = "";
    public string SettingsJson { get; init; } = "";

    /// <summary>The spec the run was made with, read once from <see cref="SettingsJson"/>.</summary>
    public JobSpec Spec => field ??= JobSpec.ForRun(SettingsJson, Model, Prompt);

    public double? CostUsd { get; init; }
    public long? WorkItemId { get; init; }
    public string? WorkItemName { get; init; }
    public string? WorkItemSlug { get; init; }
    public string? ProjectName { get; init; }
    public string? ProjectSlug { get; init; }
}

public sealed class RunImageView
{
    public long Id { get; init; }
    public long RunId { get; init; }
    public string Path { get; init; } = "";
    public string Format { get; init; } = "";
    public int Width { get; init; }
    public int Height { get; init; }
    public long Bytes { get; init; }
    public string Sha256 { get; init; } = "";
    public long? Seed { get; init; }
    public string? ThumbnailPath { get; init; }
    public bool Starred { get; init; }
    public double? Score { get; init; }

    /// <summary>What ingest found that a person should see (e.g. opaque where transparency was asked).</summary>
    public string? Warning { get; init; }

    /// <summary>The provider's own file, kept beside this converted candidate.</summary>
    public string? OriginalPath { get; init; }

    /// <summary>The brand check's verdict; null when the run had no brand.</summary>
    public BrandCheck.BrandVerdict? BrandVerdict { get; private set; }

    /// <summary>Dapper's way in: <c>run_images.brand_verdict</c> as stored (selected as <c>brand_verdict_text</c>), read by the one parser.</summary>
    private string? BrandVerdictText { init => BrandVerdict = ImageGen.Core.BrandCheck.BrandVerdicts.FromStored(value); }

    /// <summary>The brand score 0–100 candidates sort by (<see cref="ImageGen.Core.BrandCheck.BrandCheckResult.BrandScore"/>).</summary>
    public double? BrandScore { get; init; }

    public string? BrandJson { get; init; }

    /// <summary>Every check with what it found, for the viewer and the badge's reasons.</summary>
    public BrandCheck.BrandCheckResult? BrandCheck => field ??= ImageGen.Core.BrandCheck.BrandCheckResult.FromJson(BrandJson);

    public string FileName => System.IO.Path.GetFileName(Path);
}

/// <summary>Runs and their images for the pages: two statements for a whole history, however long.</summary>
public sealed class RunQueries(Database database)
{
    /// <summary>The most runs one history page shows (failed runs have no candidates).</summary>
    public const int RunsPerPage = 20;

    /// <summary>
    /// A history page ends with the run that brings it to this many candidates: the page's HTML stays small (it was
    /// every candidate of 20 runs, 441 KB at 160), and the page loads the next one as the reader scrolls to it.
    /// </summary>
    public const int CandidatesPerPage = 24;

    /// <summary>A work item's runs, newest first, each with its candidates.</summary>
    public Task<IReadOnlyList<RunView>> ForWorkItemAsync(long workItemId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => LoadAsync(c, "r.work_item_id = @key", workItemId), cancellationToken);

    /// <summary>
    /// A page of a work item's run history, newest first by run id, with the id to pass as <paramref name="beforeRunId"/>
    /// for the next, older page (null on the last page).
    /// </summary>
    public async Task<(IReadOnlyList<RunView> Runs, long? NextBefore)> HistoryPageAsync(long workItemId, long? beforeRunId, CancellationToken cancellationToken = default)
    {
        var filter = beforeRunId is null ? "r.work_item_id = @key" : "r.work_item_id = @key AND r.id < @before";
        var loaded = await database.ReadAsync(c => LoadAsync(c, filter, workItemId, RunsPerPage + 1, "r.id DESC", beforeRunId), cancellationToken);
        // Runs until the page holds CandidatesPerPage candidates (the run that reaches it whole), at most RunsPerPage.
        var page = new List<RunView>();
        var candidates = 0;
        foreach (var run in loaded.Take(RunsPerPage))
        {
            page.Add(run);
            candidates += run.Images.Count;
            if (candidates >= CandidatesPerPage)
            {
                break;
            }
        }
        return page.Count < loaded.Count ? (page, page[^1].Id) : (page, null);
    }

    /// <summary>Every run of a work item with its candidates (for exports), newest first, up to <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<RunView>> AllForWorkItemAsync(long workItemId, int limit = 10_000, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => LoadAsync(c, "r.work_item_id = @key", workItemId, limit), cancellationToken);

    /// <summary>A job's runs (one per attempt), newest first, each with its candidates.</summary>
    public Task<IReadOnlyList<RunView>> ForJobAsync(long jobId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => LoadAsync(c, "r.job_id = @key", jobId), cancellationToken);

    /// <summary>
    /// The candidates just before and after <paramref name="imageId"/> in its work item, in the order the work item page
    /// shows them (newest run first, then each run's images in order), and its place among them: two indexed lookups, not
    /// a load of every candidate.
    /// </summary>
    public Task<(long? Previous, long? Next, long Position, long Total)> NeighboursAsync(long imageId, long workItemId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c =>
        {
            var row = await c.QuerySingleAsync<(long? Previous, long? Next, long Before, long Total)>("""
                WITH me AS (SELECT i.id, i.run_id FROM run_images i WHERE i.id = @imageId),
                     item AS (SELECT i.id, i.run_id FROM run_images i JOIN runs r ON r.id = i.run_id WHERE r.work_item_id = @workItemId)
                SELECT
                    (SELECT x.id FROM item x, me WHERE x.run_id > me.run_id OR (x.run_id = me.run_id AND x.id < me.id)
                     ORDER BY x.run_id ASC, x.id DESC LIMIT 1) AS previous,
                    (SELECT x.id FROM item x, me WHERE x.run_id < me.run_id OR (x.run_id = me.run_id AND x.id > me.id)
                     ORDER BY x.run_id DESC, x.id ASC LIMIT 1) AS next,
                    (SELECT count(*) FROM item x, me WHERE x.run_id > me.run_id OR (x.run_id = me.run_id AND x.id < me.id)) AS before,
                    (SELECT count(*) FROM item) AS total
                """, new { imageId, workItemId });
            return (row.Previous, row.Next, row.Before + 1, row.Total);
        }, cancellationToken);

    /// <summary>Most candidates the work item page's filtered view shows at once.</summary>
    public const int FilteredLimit = 120;

    /// <summary>
    /// A work item's candidates across its runs, for the page's filtered view: those with brand verdict
    /// <paramref name="verdict"/> (any when null), starred only when asked, by brand score (best first, unchecked last) or
    /// newest first; at most <see cref="FilteredLimit"/>, with whether there were more.
    /// </summary>
    public Task<(IReadOnlyList<RunImageView> Images, bool More)> CandidatesAsync(long workItemId, BrandCheck.BrandVerdict? verdict, bool starredOnly, bool byBrandScore, CancellationToken cancellationToken = default) =>
        database.ReadAsync<(IReadOnlyList<RunImageView>, bool)>(async c =>
        {
            var where = SqlWhere.Of((true, "r.work_item_id = @workItemId"), (verdict is not null, "i.brand_verdict = @verdict"), (starredOnly, "i.starred = 1"));
            var order = byBrandScore ? $"{database.Dialect.DescendingNullsLast("i.brand_score")}, i.id DESC" : "i.run_id DESC, i.id ASC";
            var images = (await c.QueryAsync<RunImageView>($"""
                SELECT i.id, i.run_id, i.path, i.format, i.width, i.height, i.bytes, i.sha256, i.seed, i.thumbnail_path, i.starred, i.score, i.warning, i.original_path,
                       i.brand_verdict AS brand_verdict_text, i.brand_score, i.brand_json
                FROM runs r JOIN run_images i ON i.run_id = r.id
                {where}
                ORDER BY {order}
                LIMIT @limit
                """, new { workItemId, verdict = verdict?.ToText(), limit = FilteredLimit + 1 })).ToList();
            return images.Count > FilteredLimit ? (images[..FilteredLimit], true) : (images, false);
        }, cancellationToken);

    /// <summary>A run with the brand text revision it used, for "what changed".</summary>
    public sealed class RunForDiff
    {
        public long Id { get; init; }
        public long? WorkItemId { get; init; }
        public string Model { get; init; } = "";
        public string Prompt { get; init; } = "";
        public string SettingsJson { get; init; } = "";

        /// <summary>The spec the run was made with, read once from <see cref="SettingsJson"/>.</summary>
        public JobSpec Spec => field ??= JobSpec.ForRun(SettingsJson, Model, Prompt);

        public long CreatedAt { get; init; }
        public int? BrandRevision { get; init; }
        public string? BrandName { get; init; }
        public string? BrandText { get; init; }
    }

    public Task<RunForDiff?> GetForDiffAsync(long runId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<RunForDiff>("""
            SELECT r.id, r.work_item_id, r.model, r.prompt, r.settings_json, r.created_at,
                   b.revision AS brand_revision, b.name AS brand_name, b.content_markdown AS brand_text
            FROM runs r LEFT JOIN brand_revisions b ON b.id = r.brand_revision_id
            WHERE r.id = @runId
            """, new { runId }), cancellationToken);

    private sealed class ImageWithRun
    {
        public long Id { get; init; }
        public long RunId { get; init; }
        public long? Seed { get; init; }
        public string Format { get; init; } = "";
        public string Path { get; init; } = "";
        public string Sha256 { get; init; } = "";
        public long? WorkItemId { get; init; }
        public string Model { get; init; } = "";
        public string Prompt { get; init; } = "";
        public string SettingsJson { get; init; } = "";
    }

    /// <summary>An image with the run that made it: what "more like this" starts from.</summary>
    public Task<(RunImageView Image, long? WorkItemId, JobSpec Spec)?> GetImageWithRunAsync(long id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c =>
        {
            var row = await c.QuerySingleOrDefaultAsync<ImageWithRun>("""
                SELECT i.id, i.run_id, i.seed, i.format, i.path, i.sha256, r.work_item_id, r.model, r.prompt, r.settings_json
                FROM run_images i JOIN runs r ON r.id = i.run_id WHERE i.id = @id
                """, new { id });
            return row is null
                ? ((RunImageView, long?, JobSpec)?)null
                : (new RunImageView { Id = row.Id, RunId = row.RunId, Seed = row.Seed, Format = row.Format, Path = row.Path, Sha256 = row.Sha256 }, row.WorkItemId,
                    JobSpec.ForRun(row.SettingsJson, row.Model, row.Prompt));
        }, cancellationToken);

    public Task<RunImageView?> GetImageAsync(long id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<RunImageView>(
            "SELECT id, run_id, path, format, width, height, bytes, sha256, seed, thumbnail_path, starred, score, warning, original_path, brand_verdict AS brand_verdict_text, brand_score, brand_json FROM run_images WHERE id = @id", new { id }), cancellationToken);

    public Task<ImageOrigin?> GetImageOriginAsync(long imageId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<ImageOrigin>("""
            SELECT r.id AS run_id, r.job_id, r.model, r.prompt, r.settings_json, r.cost_usd, r.work_item_id, w.name AS work_item_name, w.slug AS work_item_slug,
                   p.name AS project_name, p.slug AS project_slug
            FROM run_images i
            JOIN runs r ON r.id = i.run_id
            LEFT JOIN work_items w ON w.id = r.work_item_id
            LEFT JOIN projects p ON p.id = w.project_id
            WHERE i.id = @imageId
            """, new { imageId }), cancellationToken);

    private static async Task<IReadOnlyList<RunView>> LoadAsync(
        System.Data.IDbConnection c, string filter, long key, int limit = RunsPerPage, string order = "r.created_at DESC, r.id DESC", long? before = null)
    {
        using var results = await c.QueryMultipleAsync($"""
            SELECT r.id, r.job_id, r.attempt, r.model, r.prompt, r.settings_json, r.status, r.error_message, r.created_at, r.finished_at,
                   r.parent_run_id, r.adjustment, r.cost_usd, r.missing, r.provider_json, j.status AS job_status
            FROM runs r JOIN jobs j ON j.id = r.job_id WHERE {filter} ORDER BY {order} LIMIT @limit;

            SELECT i.id, i.run_id, i.path, i.format, i.width, i.height, i.bytes, i.sha256, i.seed, i.thumbnail_path, i.starred, i.score, i.warning, i.original_path,
                   i.brand_verdict AS brand_verdict_text, i.brand_score, i.brand_json
            FROM run_images i
            WHERE i.run_id IN (SELECT r.id FROM runs r WHERE {filter} ORDER BY {order} LIMIT @limit)
            ORDER BY i.run_id, i.created_at, i.id;
            """, new { key, limit, before });
        var runs = (await results.ReadAsync<RunView>()).ToList();
        var byId = runs.ToDictionary(r => r.Id);
        foreach (var image in await results.ReadAsync<RunImageView>())
        {
            byId[image.RunId].Images.Add(image);
        }
        return runs;
    }
}
