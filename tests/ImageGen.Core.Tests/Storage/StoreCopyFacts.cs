using System.Text.Json;
using Dapper;
using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Iteration;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Storage;

/// <summary>
/// <c>imagegen db copy</c> from SQLite to PostgreSQL keeps every row and id; and every read model the pages use (catalog,
/// runs, search, dashboard, jobs, comparisons) answers the same on both stores for the same data.
/// </summary>
public sealed class StoreCopyFacts
{
    private static async Task SeedAsync(TestDatabase db)
    {
        var catalog = new CatalogStore(db.Database, db.Time);
        var brandId = (await catalog.CreateBrandAsync("Acme", "acme", "house style", "# Acme\n- #c2410c"))!.Value;
        await catalog.CreateBrandAsync("beta Brand", "beta", "", "beta");
        var projectId = (await catalog.CreateProjectAsync("Launch", "launch", brandId))!.Value;
        for (var item = 1; item <= 3; item++)
        {
            db.Time.Advance(TimeSpan.FromSeconds(1));
            var itemId = (await catalog.CreateWorkItemAsync(projectId, $"Hero {item}", $"hero-{item}", "other", $"a Red cup number {item}", "no text", null))!.Value;
            var payload = new JobSpec { Model = item == 2 ? "openai/gpt-image-1" : "offline/procedural", Prompt = $"a red cup {item}", Count = 2, Size = "640x360", Seed = item, Origin = new JobOrigin { WorkItemId = itemId, BrandRevisionId = 1 } };
            await db.Queue.EnqueueAsync(new NewJob(JobKinds.Generate, payload.ToJson()) { WorkItemId = itemId, IdempotencyKey = $"k{item}" });
            var claim = (await db.Queue.ClaimAsync("w"))!;
            var run = (await db.Runs.StartAsync(claim, payload))!;
            // Brand checks: the first image of each run passes (score 90 - item), the second fails on the palette.
            StoredImage Image(int n) => new($"images/launch/hero-{item}/run-{run.RunId}/0{n}.png", "png", 640, 360, 1000 + n, $"{item}{n}", n, $"images/launch/hero-{item}/run-{run.RunId}/thumbs/0{n}.webp",
                BrandCheck: new ImageGen.Core.BrandCheck.BrandCheckResult
                {
                    Verdict = n == 1 ? ImageGen.Core.BrandCheck.BrandVerdict.Pass : ImageGen.Core.BrandCheck.BrandVerdict.Fail, Score = n == 1 ? 90 - item : 20, BrandScore = n == 1 ? 90 - item : 20, BrandRevisionId = 1,
                    Checks = [new ImageGen.Core.BrandCheck.CheckLine("Palette", n == 1 ? ImageGen.Core.BrandCheck.BrandVerdict.Pass : ImageGen.Core.BrandCheck.BrandVerdict.Fail, "as seeded")],
                });
            await db.Runs.FinishAsync(claim, run.RunId, new RunOutcome.Succeeded([Image(1), Image(2)]));
        }
        await db.Queue.EnqueueAsync(new NewJob(JobKinds.Generate, """{"model":"offline/procedural","composedPrompt":"x"}""") { WorkItemId = 1 });
        var failed = (await db.Queue.ClaimAsync("w"))!;
        await db.Queue.FailAsync(failed, "The provider said no.", transient: false);
        var comparisons = new ComparisonStore(db.Database, db.Time);
        Assert.True(await comparisons.RecordAsync(1, 1, 2, 2, "warmer"));
        await new FinalStore(db.Database, db.Time).SetStarAsync(1, 2, starred: true);
        await db.Queue.SetPausedAsync(true, "test");
    }

    private static async Task<string> EveryReadModelAsync(TestDatabase db)
    {
        var catalog = new CatalogStore(db.Database, db.Time);
        var runs = new RunQueries(db.Database);
        var jobs = new JobQueries(db.Database);
        var search = new CandidateSearch(db.Database);
        var answers = new List<object?>
        {
            await catalog.ListBrandsAsync(null), await catalog.BrandChoicesAsync(), await catalog.ListProjectsAsync(null),
            await catalog.GetWorkItemAsync("launch", "hero-1"), await catalog.ListWorkItemsAsync(1, null),
            await runs.ForWorkItemAsync(1), await runs.ForJobAsync(2), await runs.GetForDiffAsync(1), await runs.GetImageAsync(2), await runs.GetImageOriginAsync(2),
            await jobs.ListAsync(null, null), await jobs.ListAsync(JobStatus.Failed, null), await jobs.ActiveForWorkItemAsync(1),
            await new DashboardQueries(db.Database).GetCountsAsync(), await new DashboardQueries(db.Database).GetRecentJobsAsync(10),
            await new ComparisonStore(db.Database, db.Time).GetStateAsync(1),
            await db.Queue.IsPausedAsync(), await jobs.QueueSnapshotAsync(),
            await runs.CandidatesAsync(1, null, false, byBrandScore: true), await runs.CandidatesAsync(1, ImageGen.Core.BrandCheck.BrandVerdict.Fail, false, byBrandScore: false),
            await new ImageGen.Core.Storage.BrandInsights(db.Database).ForBrandAsync(1),
            await search.SearchAsync(new SearchQuery(null, null, null, null, false, "brand", 0) { Brand = ImageGen.Core.BrandCheck.BrandVerdict.Pass }),
            await search.SearchAsync(new SearchQuery(null, null, null, null, false, "brand", 0)),
        };
        foreach (var query in new[]
        {
            new SearchQuery("RED CUP", null, null, null, false, "newest", 0), new SearchQuery(null, null, "openai/gpt-image-1", null, false, "oldest", 0),
            new SearchQuery(null, null, null, null, false, "score", 0), new SearchQuery(null, null, null, null, true, "starred", 0),
            new SearchQuery("no such thing", null, null, null, false, "newest", 0), new SearchQuery(null, 1, null, null, false, "newest", 0),
        })
        {
            answers.Add(await search.SearchAsync(query));
        }
        return JsonSerializer.Serialize(answers, new JsonSerializerOptions { IncludeFields = true, WriteIndented = true });
    }

    [Fact]
    public async Task CopyFromSqliteToPostgres_KeepsEveryRowAndId_AndEveryReadModelAnswersTheSame()
    {
        using var sqlite = await TestDatabase.CreateAsync(Backend.Sqlite);
        using var postgres = await TestDatabase.CreateAsync(Backend.Postgres);
        await SeedAsync(sqlite);

        var tables = await StoreCopier.CopyAsync(sqlite.Database, postgres.Database, TestContext.Current.CancellationToken);

        Assert.Equal(StoreCopier.Tables, tables.Select(t => t.Table));
        Assert.All(tables, t => Assert.Equal(t.SourceRows, t.TargetRows));
        Assert.Equal(6, tables.Single(t => t.Table == "run_images").TargetRows);
        var expected = await EveryReadModelAsync(sqlite);
        Assert.Contains("hero-2", expected, StringComparison.Ordinal);
        Assert.Contains("\"BrandVerdict\": \"fail\"", expected, StringComparison.Ordinal); // the brand checks are in what is compared
        Assert.Contains("\"Name\": \"offline/procedural\",\n", expected.ReplaceLineEndings("\n"), StringComparison.Ordinal); // and the insights' models
        Assert.Equal(expected, await EveryReadModelAsync(postgres));

        // New rows continue after the copied ids, on both.
        var next = await new CatalogStore(postgres.Database, postgres.Time).CreateBrandAsync("Gamma", "gamma", "", "");
        Assert.Equal(3, next);
    }

    [Fact]
    public async Task CopyIntoAStoreThatHoldsData_IsRefused_AndChangesNothing()
    {
        using var source = await TestDatabase.CreateAsync(Backend.Sqlite);
        using var target = await TestDatabase.CreateAsync(Backend.Postgres);
        await SeedAsync(source);
        await new CatalogStore(target.Database, target.Time).CreateBrandAsync("Mine", "mine", "", "");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StoreCopier.CopyAsync(source.Database, target.Database));

        Assert.Contains("already holds data", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await target.ScalarAsync<int>("SELECT count(*) FROM brands"));
        Assert.Equal(0, await target.ScalarAsync<int>("SELECT count(*) FROM jobs"));
    }
}
