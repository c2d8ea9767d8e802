using Dapper;
using ImageGen.Core.BrandCheck;

namespace ImageGen.Core.Storage;

public sealed record SearchQuery(string? Text, long? WorkItemId, string? Model, long? RunId, bool StarredOnly, string Sort, int Page)
{
    public const int PageSize = 48;

    /// <summary>The last page number a search accepts (0-based): 10,000 pages of <see cref="PageSize"/>, far past any real use, and the offset stays within an int.</summary>
    public const int MaxPage = 10_000;
    public static IReadOnlyList<string> Sorts { get; } = ["newest", "oldest", "score", "brand", "starred"];

    /// <summary>Only candidates with this brand check verdict.</summary>
    public BrandVerdict? Brand { get; init; }
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
    public BrandVerdict? BrandVerdict { get; private set; }

    /// <summary>Dapper's way in: <c>run_images.brand_verdict</c> as stored, read by the one parser.</summary>
    private string? BrandVerdictText { init => BrandVerdict = BrandVerdicts.FromStored(value); }

    public double? BrandScore { get; init; }
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
/// and sorts candidates by star, score, brand check, model, run and date. Two statements per search (three with text or a
/// model, four with a text or a model that few runs match), paged.
/// </summary>
public sealed class CandidateSearch(Database database)
{
    /// <summary>Below this many matching runs a text search collects them and sorts their images.</summary>
    internal const int DenseRuns = 1000;

    private SqlDialect Dialect => database.Dialect;

    /// <summary>Shortest text the trigram indexes can find (SqlDialect.RunPromptContains); shorter texts are a LIKE scan.</summary>
    public const int IndexedTextLength = 3;

    private string TextMatches => $@"(r.prompt {Dialect.LikeIgnoringCase} @like ESCAPE '\' OR w.prompt {Dialect.LikeIgnoringCase} @like ESCAPE '\' OR w.name {Dialect.LikeIgnoringCase} @like ESCAPE '\')";

    /// <summary>The newest 20 work items whose name or brief has the text: from the text index when there is a phrase.</summary>
    private string WorkItemsStatement(string? fts)
    {
        const string select = "w.name, w.slug, p.slug AS project_slug, p.name AS project_name, w.status";
        return fts is not null
            ? Dialect.WorkItemsWithText(select)
            : $"""
                SELECT {select}
                FROM work_items w JOIN projects p ON p.id = w.project_id
                WHERE @like IS NOT NULL AND (w.name {Dialect.LikeIgnoringCase} @like ESCAPE '\' OR w.prompt {Dialect.LikeIgnoringCase} @like ESCAPE '\')
                ORDER BY w.id DESC LIMIT 20
                """;
    }
    /// <summary>The text as an FTS5 phrase (quotes doubled): a trigram phrase matches it as a substring anywhere.</summary>
    private static string? Phrase(string? text) =>
        text is { Length: >= IndexedTextLength } ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : null;

    public Task<(IReadOnlyList<FoundWorkItem> WorkItems, IReadOnlyList<FoundCandidate> Candidates, bool HasMore)> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        var text = string.IsNullOrWhiteSpace(query.Text) ? null : query.Text.Trim();
        var fts = Phrase(text);
        var like = text is null ? null : "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        // Each order is an index's order (rowid, ix_run_images_score, ix_run_images_starred); SQLite sorts NULL
        // scores last in DESC.
        var order = query.Sort switch
        {
            "oldest" => "i.id ASC",
            "score" => $"{database.Dialect.DescendingNullsLast("i.score")}, i.id DESC",
            "brand" => $"{database.Dialect.DescendingNullsLast("i.brand_score")}, i.id DESC",
            "starred" => "i.starred DESC, i.id DESC",
            _ => "i.id DESC",
        };
        return database.ReadAsync<(IReadOnlyList<FoundWorkItem>, IReadOnlyList<FoundCandidate>, bool)>(async c =>
        {
            var model = string.IsNullOrWhiteSpace(query.Model) ? null : query.Model;
            var runIds = (like is not null || model is not null) && query.WorkItemId is null && query.RunId is null
                ? await SparseMatchesAsync(c, like, fts, model)
                : null;
            // Which table the join starts from (a CROSS JOIN fixes SQLite's join order). A work item, run, or sparse
            // text or model filter picks few runs: start from runs and sort their few images. Otherwise start from
            // run_images in the order's index and stop after a page, instead of sorting every image. Images exist
            // only for succeeded runs (RunStore writes them in the success transaction): no status filter.
            var fromRuns = query.WorkItemId is not null || query.RunId is not null || runIds is not null;
            var join = Dialect.FixedOrderJoin;
            var from = fromRuns ? $"runs r {join} run_images i ON i.run_id = r.id" : $"run_images i {join} runs r ON r.id = i.run_id";
            var where = SqlWhere.Of(
                (runIds is { Count: > 0 }, Dialect.IsAnyOf("r.id", "@runIds")),
                (runIds is { Count: 0 }, "1 = 0"),
                (like is not null && runIds is null, TextMatches),
                (query.WorkItemId is not null, "r.work_item_id = @WorkItemId"),
                (model is not null && runIds is null, fromRuns ? "r.model = @model" : ModelOfImageRun),
                (query.RunId is not null, "r.id = @RunId"),
                (query.StarredOnly, "i.starred = 1"),
                (query.Brand is not null, "i.brand_verdict = @brand"));
            using var results = await c.QueryMultipleAsync($"""
                {WorkItemsStatement(fts)};

                SELECT i.id, i.run_id, i.width, i.height, i.seed, i.score, i.starred, r.model, i.created_at, i.brand_verdict AS brand_verdict_text, i.brand_score,
                       w.name AS work_item_name, w.slug AS work_item_slug, p.slug AS project_slug
                FROM {from}
                JOIN work_items w ON w.id = r.work_item_id
                JOIN projects p ON p.id = w.project_id
                {where}
                ORDER BY {order}
                LIMIT @limit OFFSET @offset;
                """, new { like, fts, runIds = runIds?.ToArray(), query.WorkItemId, model, query.RunId, brand = query.Brand?.ToText(), limit = SearchQuery.PageSize + 1, offset = Math.Clamp(query.Page, 0, SearchQuery.MaxPage) * SearchQuery.PageSize });
            var items = (await results.ReadAsync<FoundWorkItem>()).ToList();
            var candidates = (await results.ReadAsync<FoundCandidate>()).ToList();
            var hasMore = candidates.Count > SearchQuery.PageSize;
            return (items, hasMore ? candidates[..SearchQuery.PageSize] : candidates, hasMore);
        }, cancellationToken);
    }

    /// <summary>
    /// The model filter of the walk of run_images in order (a common model), as a lookup of each image's run by its key.
    /// Written as <c>r.model = @model</c>, SQLite first built a Bloom filter over every run of that model (a pass over
    /// all runs, ~2.5 ms at 25,000) before reading one page of images; the walk itself reads a page's worth.
    /// </summary>
    private const string ModelOfImageRun = "(SELECT m.model FROM runs m WHERE m.id = i.run_id) = @model";

    /// <summary>
    /// The runs a text and/or model filter matches, when fewer than <see cref="DenseRuns"/> do; null when more.
    /// Sparse matches are cheapest collected once and their images sorted; dense ones fill a page within a short
    /// walk of run_images in order. One scan of runs either way (runs first: SQLite's own choice, work items
    /// first, took twice as long), stopping early when the filter is common. Measured at 100,000 images in
    /// BENCHMARKS.md.
    /// </summary>
    private async Task<List<long>?> SparseMatchesAsync(System.Data.IDbConnection c, string? like, string? fts, string? model)
    {
        if (fts is not null)
        {
            // From the text indexes, each read stopping at the limit: the runs whose prompt has the text, and the runs of
            // work items whose name or brief has it (BENCHMARKS.md, "Prompt search").
            var byModel = model is null ? "" : " AND r.model = @model";
            var parameters = new { like, fts, model, DenseRuns };
            var matches = (await c.QueryAsync<long>(Dialect.RunsWithText(byModel), parameters)).ToHashSet();
            if (matches.Count >= DenseRuns)
            {
                return null; // a common text: the page query walks the images in order and stops after a page
            }
            matches.UnionWith(await c.QueryAsync<long>(Dialect.RunsOfWorkItemsWithText(byModel), parameters));
            return matches.Count < DenseRuns ? matches.ToList() : null;
        }
        if (like is null)
        {
            // A model alone: its runs from ix_runs_model (migration 0014; PostgreSQL 0007), the index only. Counted first,
            // stopping at the limit, so a common model (the usual case) costs one number instead of 1,000 ids handed over.
            var parameters = new { model, DenseRuns };
            if (await c.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM (SELECT 1 FROM runs r WHERE r.model = @model LIMIT @DenseRuns) AS m", parameters) >= DenseRuns)
            {
                return null;
            }
            return (await c.QueryAsync<long>("SELECT r.id FROM runs r WHERE r.model = @model LIMIT @DenseRuns", parameters)).ToList();
        }
        // A short text (no trigram) is still a scan of runs with their work items.
        var ids = (await c.QueryAsync<long>($"""
            SELECT r.id FROM runs r {Dialect.FixedOrderJoin} work_items w ON w.id = r.work_item_id
            {SqlWhere.Of((true, TextMatches), (model is not null, "r.model = @model"))}
            LIMIT @DenseRuns
            """, new { like, model, DenseRuns })).ToList();
        return ids.Count < DenseRuns ? ids : null;
    }
}
