using Dapper;
using ImageGen.Core.Queue;

namespace ImageGen.Core.Storage;

public sealed record DashboardCounts(long Brands, long Projects, long WorkItems, IReadOnlyDictionary<string, long> JobsByStatus)
{
    public long Jobs(string status) => JobsByStatus.GetValueOrDefault(status);
}

public sealed class RecentJob
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Status { get; init; } = "";
    public int Attempt { get; init; }
    public string? ErrorMessage { get; init; }
    public long CreatedAt { get; init; }
    public string? WorkItemName { get; init; }
    public string? ProjectSlug { get; init; }
    public string? WorkItemSlug { get; init; }
}

/// <summary>The dashboard's reads: a fixed number of statements however many rows exist.</summary>
public sealed class DashboardQueries(Database database)
{
    private readonly Kept<(long?, long?, long?, long?, long?), DashboardCounts> _counts = new();

    /// <summary>
    /// Brands, projects, work items, and jobs by status. Counting is a pass over each table's smallest index, so the
    /// counts are kept until their marker moves: a job's every change moves the jobs' change marker, and brands,
    /// projects and work items are only ever added (a new one is a new largest id).
    /// </summary>
    public Task<DashboardCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c =>
        {
            var marker = await c.QuerySingleAsync<(long?, long?, long?, long?, long?)>("""
                SELECT (SELECT max(updated_at) FROM jobs), (SELECT max(id) FROM jobs),
                       (SELECT max(id) FROM brands), (SELECT max(id) FROM projects), (SELECT max(id) FROM work_items)
                """);
            return await _counts.GetAsync(marker, async () =>
            {
                using var results = await c.QueryMultipleAsync("""
                    SELECT (SELECT count(*) FROM brands), (SELECT count(*) FROM projects), (SELECT count(*) FROM work_items);
                    SELECT status, count(*) FROM jobs GROUP BY status;
                    """);
                var (brands, projects, workItems) = await results.ReadSingleAsync<(long, long, long)>();
                var byStatus = (await results.ReadAsync<(string Status, long Count)>()).ToDictionary(r => r.Status, r => r.Count);
                foreach (var status in JobStatus.All)
                {
                    byStatus.TryAdd(status, 0);
                }
                return new DashboardCounts(brands, projects, workItems, byStatus);
            });
        }, cancellationToken);

    public Task<IReadOnlyList<RecentJob>> GetRecentJobsAsync(int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<RecentJob>>(async c => (await c.QueryAsync<RecentJob>("""
            SELECT j.id, j.kind, j.status, j.attempt, j.error_message, j.created_at,
                   w.name AS work_item_name, p.slug AS project_slug, w.slug AS work_item_slug
            FROM jobs j
            LEFT JOIN work_items w ON w.id = j.work_item_id
            LEFT JOIN projects p ON p.id = w.project_id
            ORDER BY j.id DESC
            LIMIT @limit
            """, new { limit })).ToList(), cancellationToken);
}
