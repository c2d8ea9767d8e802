using Dapper;

namespace ImageGen.Core.Storage;

/// <summary>
/// What was spent on a scope's runs (the cost computed from the price table when each run was stored), how many runs
/// could not be priced, and the finals it bought.
/// </summary>
/// <param name="Usd">The sum of the priced runs' costs.</param>
/// <param name="UnpricedRuns">Runs that made images but have no cost (no price for their model, no usage reported, or made
/// before costs were kept): the spend is at least <see cref="Usd"/>.</param>
/// <param name="Finals">Work items with a final image.</param>
public sealed record Spend(double Usd, long PricedRuns, long UnpricedRuns, long Finals)
{
    /// <summary>Spend divided by finals; null when there is no final yet.</summary>
    public double? PerFinal => Finals == 0 ? null : Usd / Finals;
}

/// <summary>Spend per work item, project, brand and overall: one statement each, one pass over the scope's runs.</summary>
public sealed class CostQueries(Database database)
{
    public Task<Spend> ForWorkItemAsync(long workItemId, CancellationToken cancellationToken = default) =>
        QueryAsync("w.id = @id", workItemId, cancellationToken);

    public Task<Spend> ForProjectAsync(long projectId, CancellationToken cancellationToken = default) =>
        QueryAsync("w.project_id = @id", projectId, cancellationToken);

    /// <summary>The work items whose effective brand is this one: their own, else their project's default.</summary>
    public Task<Spend> ForBrandAsync(long brandId, CancellationToken cancellationToken = default) =>
        QueryAsync("COALESCE(w.brand_id, p.default_brand_id) = @id", brandId, cancellationToken);

    private readonly Kept<(long?, long?, long?), Spend> _overall = new();

    /// <summary>
    /// Everything spent (the dashboard's figure, on every load). It sums every run, so it is kept with a marker of what
    /// it read and computed again only when that moves: every write to <c>runs</c> is in a transaction that also moves
    /// the jobs' change marker (a claim starts a run, a finish or an expiry ends it), and a new final is a new
    /// <c>finals</c> row. The marker is three index lookups; the sum was ~17 ms at 25,000 runs (BENCHMARKS.md).
    /// </summary>
    public Task<Spend> OverallAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c =>
        {
            var marker = await c.QuerySingleAsync<(long?, long?, long?)>(
                "SELECT (SELECT max(updated_at) FROM jobs), (SELECT max(id) FROM jobs), (SELECT max(id) FROM finals)");
            return await _overall.GetAsync(marker, async () =>
            {
                // Every run and final counts (no scope), so no join: one pass over runs, one over the finals' index.
                var row = await c.QuerySingleAsync<Row>("""
                    SELECT
                        COALESCE(SUM(cost_usd), 0.0) AS usd,
                        count(cost_usd) AS priced_runs,
                        COALESCE(SUM(CASE WHEN cost_usd IS NULL AND status = 'succeeded' THEN 1 ELSE 0 END), 0) AS unpriced_runs,
                        (SELECT count(DISTINCT work_item_id) FROM finals WHERE replaced_at IS NULL) AS finals
                    FROM runs
                    """);
                return new Spend(row.Usd, row.PricedRuns, row.UnpricedRuns, row.Finals);
            });
        }, cancellationToken);

    private sealed class Row
    {
        public double Usd { get; init; }
        public long PricedRuns { get; init; }
        public long UnpricedRuns { get; init; }
        public long Finals { get; init; }
    }

    private async Task<Spend> QueryAsync(string scope, long id, CancellationToken cancellationToken)
    {
        // One pass over the scope's runs for the three run figures, one over its finals.
        var row = await database.ReadAsync(c => c.QuerySingleAsync<Row>($"""
            SELECT
                COALESCE(SUM(r.cost_usd), 0.0) AS usd,
                count(r.cost_usd) AS priced_runs,
                COALESCE(SUM(CASE WHEN r.cost_usd IS NULL AND r.status = 'succeeded' THEN 1 ELSE 0 END), 0) AS unpriced_runs,
                (SELECT count(DISTINCT f.work_item_id) FROM finals f JOIN work_items w ON w.id = f.work_item_id JOIN projects p ON p.id = w.project_id
                 WHERE {scope} AND f.replaced_at IS NULL) AS finals
            FROM runs r JOIN work_items w ON w.id = r.work_item_id JOIN projects p ON p.id = w.project_id
            WHERE {scope}
            """, new { id }), cancellationToken);
        return new Spend(row.Usd, row.PricedRuns, row.UnpricedRuns, row.Finals);
    }
}
