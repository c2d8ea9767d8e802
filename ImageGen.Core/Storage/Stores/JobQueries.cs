using Dapper;
using ImageGen.Core.Catalog;
using ImageGen.Core.Queue;

namespace ImageGen.Core.Storage;

/// <summary>A job as the lists show it, joined with its work item and project.</summary>
public sealed class JobListItem
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Status { get; init; } = "";
    public int Attempt { get; init; }
    public int MaxAttempts { get; init; }
    public string? ErrorMessage { get; init; }
    public long CreatedAt { get; init; }
    public long? StartedAt { get; init; }
    public long? FinishedAt { get; init; }
    public bool CancelRequested { get; init; }
    public string? WorkItemName { get; init; }
    public string? WorkItemSlug { get; init; }
    public string? ProjectSlug { get; init; }
    public string? Model { get; init; }
}

/// <summary>
/// Reads of the jobs table: for the jobs pages, and the worker's gauges and temporary-folder sweep. Each method is one
/// statement, whatever the number of rows. The queue's writes are <see cref="IJobQueue"/>'s.
/// </summary>
public sealed class JobQueries(Database database)
{
    private const string SelectJob = """
        SELECT id, kind, work_item_id, status, payload_json, idempotency_key, attempt, max_attempts, run_after,
               claim_token, claimed_by, lease_expires_at, cancel_requested, error_message, retry_of_job_id,
               trace_parent, created_at, started_at, finished_at, updated_at
        FROM jobs
        """;

    private string ListSelect => $"""
        SELECT j.id, j.kind, j.status, j.attempt, j.max_attempts, j.error_message, j.created_at, j.started_at,
               j.finished_at, j.cancel_requested, w.name AS work_item_name, w.slug AS work_item_slug,
               p.slug AS project_slug, {database.Dialect.JsonText("j.payload_json", "model")} AS model
        FROM jobs j
        LEFT JOIN work_items w ON w.id = j.work_item_id
        LEFT JOIN projects p ON p.id = w.project_id
        """;

    /// <summary>Newest first; <paramref name="status"/> null for all. Keyset paging on id.</summary>
    public Task<Page<JobListItem>> ListAsync(string? status, long? before, int pageSize = CatalogStore.PageSize, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c =>
        {
            var rows = (await c.QueryAsync<JobListItem>($"""
                {ListSelect}
                {SqlWhere.Of((status is not null, "j.status = @status"), (before is not null, "j.id < @before"))}
                ORDER BY j.id DESC LIMIT @limit
                """, new { status, before, limit = pageSize + 1 })).ToList();
            return rows.Count > pageSize ? new Page<JobListItem>(rows[..pageSize], rows[pageSize - 1].Id) : new Page<JobListItem>(rows, null);
        }, cancellationToken);

    /// <summary>One job's row as the queue keeps it (payload, claim, attempts); null when there is no such job.</summary>
    public Task<JobRecord?> GetAsync(long jobId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<JobRecord>($"{SelectJob} WHERE id = @jobId", new { jobId }), cancellationToken);

    /// <summary>Queue depth and the creation time of the oldest queued job, for the worker's gauges.</summary>
    public Task<(long Depth, long? OldestCreatedAt)> QueueSnapshotAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.QuerySingleAsync<(long, long?)>(
            "SELECT count(*), min(created_at) FROM jobs WHERE status = 'queued'"), cancellationToken);

    /// <summary>The running jobs' ids and claim tokens: what the temporary-folder sweep keeps.</summary>
    public Task<IReadOnlyList<(long Id, string ClaimToken)>> RunningClaimsAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<(long, string)>>(async c => (await c.QueryAsync<(long, string)>(
            "SELECT id, claim_token FROM jobs WHERE status = 'running' AND claim_token IS NOT NULL")).ToList(), cancellationToken);

    public Task<JobListItem?> GetListItemAsync(long id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<JobListItem>($"{ListSelect} WHERE j.id = @id", new { id }), cancellationToken);

    /// <summary>Jobs of one work item that are still queued or running (the work item page's "in progress").</summary>
    public Task<IReadOnlyList<JobListItem>> ActiveForWorkItemAsync(long workItemId, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<JobListItem>>(async c => (await c.QueryAsync<JobListItem>($"""
            {ListSelect}
            WHERE j.work_item_id = @workItemId AND j.status IN ('queued', 'running')
            ORDER BY j.id DESC LIMIT 50
            """, new { workItemId })).ToList(), cancellationToken);

    /// <summary>A marker that changes whenever any job changes: live views poll it and refresh when it moves.</summary>
    public Task<string> VersionAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c =>
        {
            // Two scalar subqueries, each answered from one end of an index (ix_jobs_updated, the primary key). Written as
            // one SELECT max(updated_at), max(id), SQLite scans the table: 1,046 against 7,000+ requests/s at 25,000 jobs.
            var (lastUpdate, lastId) = await c.QuerySingleAsync<(long?, long?)>("SELECT (SELECT max(updated_at) FROM jobs), (SELECT max(id) FROM jobs)");
            return $"{lastUpdate ?? 0}-{lastId ?? 0}";
        }, cancellationToken);

    /// <summary>As <see cref="VersionAsync"/>, for one work item's jobs.</summary>
    public Task<string> WorkItemVersionAsync(long workItemId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c =>
        {
            var (lastUpdate, jobCount) = await c.QuerySingleAsync<(long?, long)>(
                "SELECT max(updated_at), count(*) FROM jobs WHERE work_item_id = @workItemId", new { workItemId });
            return $"{lastUpdate ?? 0}-{jobCount}";
        }, cancellationToken);
}
