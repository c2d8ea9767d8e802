using Dapper;
using ImageGen.Core.Iteration;
using ImageGen.Core.Storage.Sqlite;
using ImageGen.Core.Storage;

namespace ImageGen.Core.Tests.Iteration;

/// <summary>
/// Search filtered by model finds the same candidates whether the model is common (past
/// <see cref="CandidateSearch.DenseRuns"/>: a walk of run_images in order), rare (its runs collected, their images
/// sorted) or unused, on every backend; and on SQLite neither path reads every run (BENCHMARKS.md, "Search by model").
/// </summary>
public abstract class CandidateSearchFacts(Backend backend)
{
    protected const string Common = "offline/procedural";
    protected const string Rare = "compat/rare";
    private const int Runs = 1_500;

    /// <summary>1,500 runs of one image each (image id = run id); every 75th run used the rare model, the rest the common one.</summary>
    protected async Task<TestDatabase> SeededAsync()
    {
        var db = await TestDatabase.CreateAsync(backend);
        await db.Database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO projects (id, name, slug, created_at, updated_at) VALUES (1, 'Launch', 'launch', 0, 0);
            INSERT INTO work_items (id, project_id, name, slug, type, prompt, created_at, updated_at)
            VALUES (1, 1, 'Hero', 'hero', 'hero', 'a steaming cup', 0, 0);
            """, transaction: t));
        var rows = Enumerable.Range(1, Runs).Select(id => new { id, model = id % 75 == 0 ? Rare : Common }).ToList();
        await db.Database.WriteAsync((c, t) => c.ExecuteAsync("""
                INSERT INTO jobs (id, kind, work_item_id, status, payload_json, attempt, run_after, created_at, updated_at)
                VALUES (@id, 'generate', 1, 'succeeded', '{}', 1, 0, @id, @id);
                INSERT INTO runs (id, work_item_id, job_id, attempt, model, prompt, settings_json, status, created_at, updated_at)
                VALUES (@id, 1, @id, 1, @model, 'a steaming cup', '{}', 'succeeded', @id, @id);
                INSERT INTO run_images (id, run_id, path, format, width, height, bytes, sha256, seed, created_at)
                VALUES (@id, @id, 'images/launch/hero/run-' || @id || '/01.png', 'png', 8, 8, 10, 'ab', 1, @id);
                """, rows, t));
        return db;
    }

    protected static SearchQuery ByModel(string model, int page = 0) => new(null, null, model, null, false, "newest", page);

    [Fact]
    public async Task ModelFilter_CommonRareAndUnused_FindTheirCandidatesNewestFirst()
    {
        using var db = await SeededAsync();
        var search = new CandidateSearch(db.Database);

        var common = await search.SearchAsync(ByModel(Common));
        var expected = Enumerable.Range(1, Runs).Reverse().Where(id => id % 75 != 0).Select(id => (long)id).ToList();
        Assert.Equal(expected.Take(SearchQuery.PageSize), common.Candidates.Select(c => c.Id));
        Assert.True(common.HasMore);
        Assert.Equal(expected.Skip(SearchQuery.PageSize).Take(SearchQuery.PageSize), (await search.SearchAsync(ByModel(Common, 1))).Candidates.Select(c => c.Id));
        Assert.All(common.Candidates, c => Assert.Equal(Common, c.Model));

        var rare = await search.SearchAsync(ByModel(Rare));
        Assert.Equal(Enumerable.Range(1, Runs / 75).Reverse().Select(n => n * 75L), rare.Candidates.Select(c => c.Id));
        Assert.False(rare.HasMore);

        Assert.Empty((await search.SearchAsync(ByModel("compat/unused"))).Candidates);
    }

    [Fact]
    public async Task TheModelIndex_Exists()
    {
        using var db = await SeededAsync();
        var sql = backend == Backend.Sqlite
            ? "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_runs_model' AND tbl_name = 'runs'"
            : "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_runs_model' AND tablename = 'runs' AND indexdef LIKE '%(model, id)'";
        Assert.Equal(1, await db.ScalarAsync<int>(sql));
    }
}

public sealed class SqliteCandidateSearchFacts() : CandidateSearchFacts(Backend.Sqlite)
{
    /// <summary>
    /// How SQLite runs each statement of a model search, asked of SQLite itself (EXPLAIN QUERY PLAN on the statements as
    /// they ran): the runs of a model come from ix_runs_model, and no statement scans runs or builds a Bloom filter over
    /// them (each was a pass over every run: 25,000 at the bench seed).
    /// </summary>
    [Theory]
    [InlineData(Common)]
    [InlineData(Rare)]
    [InlineData("compat/unused")]
    public async Task ModelFilter_NeverReadsEveryRun(string model)
    {
        using var db = await SeededAsync();
        var sqlite = (SqliteDatabase)db.Database;
        var counter = new StatementCounter(record: true);
        sqlite.StatementCounter = counter;
        await new CandidateSearch(db.Database).SearchAsync(ByModel(model));
        sqlite.StatementCounter = null;
        // A model no run used leaves a page statement "WHERE 1 = 0": SQLite tests a constant condition once, before any
        // loop, so its plan's loops never run.
        var statements = counter.Statements
            .Where(s => s.Contains("runs", StringComparison.Ordinal) && !s.Contains("WHERE 1 = 0", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(statements);

        var plans = new List<string>();
        foreach (var statement in statements)
        {
            plans.AddRange(await db.Database.ReadAsync(async c =>
                (await c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + statement)).Select(p => p.Detail)));
        }

        Assert.Contains(plans, p => p.Contains("USING COVERING INDEX ix_runs_model (model=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plans, p => p is "SCAN r" or "SCAN runs" || p.StartsWith("BLOOM FILTER ON r", StringComparison.Ordinal));
    }
}

public sealed class PostgresCandidateSearchFacts() : CandidateSearchFacts(Backend.Postgres);
