using Dapper;
using ImageGen.Core.Storage;

namespace ImageGen.Core.Iteration;

public sealed record SearchQuery(string? Text, long? WorkItemId, string? Model, long? RunId, bool StarredOnly, string Sort, int Page)
{
    public const int PageSize = 48;
    public static IReadOnlyList<string> Sorts { get; } = ["newest", "oldest", "score", "starred"];
}

public sealed class FoundCandidate
{
    public long Id { get; init; }
    public long RunId { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public long? Seed { get; init; }
    public double? Score { get; init; }
    public bool Starred { get; init; }
    public string Model { get; init; } = "";
    public long CreatedAt { get; init; }
    public string WorkItemName { get; init; } = "";
    public string WorkItemSlug { get; init; } = "";
    public string ProjectSlug { get; init; } = "";
}

public sealed class FoundWorkItem
{
    public string Name { get; init; } = "";
    public string Slug { get; init; } = "";
    public string ProjectSlug { get; init; } = "";
    public string ProjectName { get; init; } = "";
    public string Status { get; init; } = "";
}

/// <summary>
/// Finds work items and candidates by prompt text (the work item's brief or a run's composed prompt), and filters
/// and sorts candidates by star, score, model, run and date. Two statements per search, paged.
/// </summary>
public sealed class CandidateSearch(Database database)
{
    public Task<(IReadOnlyList<FoundWorkItem> WorkItems, IReadOnlyList<FoundCandidate> Candidates, bool HasMore)> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        var like = string.IsNullOrWhiteSpace(query.Text) ? null : "%" + query.Text.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        var where = SqlWhere.Of(
            (true, "r.status = 'succeeded'"),
            (like is not null, "(r.prompt LIKE @like ESCAPE '\\' OR w.prompt LIKE @like ESCAPE '\\' OR w.name LIKE @like ESCAPE '\\')"),
            (query.WorkItemId is not null, "r.work_item_id = @WorkItemId"),
            (!string.IsNullOrWhiteSpace(query.Model), "r.model = @Model"),
            (query.RunId is not null, "r.id = @RunId"),
            (query.StarredOnly, "i.starred = 1"));
        var order = query.Sort switch
        {
            "oldest" => "i.id ASC",
            "score" => "i.score IS NULL, i.score DESC, i.id DESC",
            "starred" => "i.starred DESC, i.id DESC",
            _ => "i.id DESC",
        };
        return database.ReadAsync<(IReadOnlyList<FoundWorkItem>, IReadOnlyList<FoundCandidate>, bool)>(async c =>
        {
            using var results = await c.QueryMultipleAsync($"""
                SELECT w.name, w.slug, p.slug AS project_slug, p.name AS project_name, w.status
                FROM work_items w JOIN projects p ON p.id = w.project_id
                WHERE @like IS NOT NULL AND (w.name LIKE @like ESCAPE '\' OR w.prompt LIKE @like ESCAPE '\')
                ORDER BY w.id DESC LIMIT 20;

                SELECT i.id, i.run_id, i.width, i.height, i.seed, i.score, i.starred, r.model, i.created_at,
                       w.name AS work_item_name, w.slug AS work_item_slug, p.slug AS project_slug
                FROM run_images i
                JOIN runs r ON r.id = i.run_id
                JOIN work_items w ON w.id = r.work_item_id
                JOIN projects p ON p.id = w.project_id
                {where}
                ORDER BY {order}
                LIMIT @limit OFFSET @offset;
                """, new { like, query.WorkItemId, query.Model, query.RunId, limit = SearchQuery.PageSize + 1, offset = Math.Max(0, query.Page) * SearchQuery.PageSize });
            var items = (await results.ReadAsync<FoundWorkItem>()).ToList();
            var candidates = (await results.ReadAsync<FoundCandidate>()).ToList();
            var hasMore = candidates.Count > SearchQuery.PageSize;
            return (items, hasMore ? candidates[..SearchQuery.PageSize] : candidates, hasMore);
        }, cancellationToken);
    }
}
