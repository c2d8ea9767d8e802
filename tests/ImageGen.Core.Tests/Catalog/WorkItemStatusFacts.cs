using Dapper;
using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Core.Spec;
using ImageGen.Core.Storage;

namespace ImageGen.Core.Tests.Catalog;

/// <summary>The item's status follows its jobs: "generating" only while one is queued or running (migration 0008).</summary>
public abstract class WorkItemStatusFacts(Backend backend)
{
    private async Task<(TestDatabase Db, long ItemId)> ItemAsync()
    {
        var db = await TestDatabase.CreateAsync(backend);
        var catalog = new CatalogStore(db.Database, db.Time);
        var projectId = (await catalog.CreateProjectAsync("Launch", "launch", null))!.Value;
        var itemId = (await catalog.CreateWorkItemAsync(projectId, "Hero", "hero", "other", "a cup", "", null))!.Value;
        return (db, itemId);
    }

    private static async Task<long> QueueAsync(TestDatabase db, long itemId)
    {
        var job = await db.Queue.EnqueueAsync(new NewJob(JobKinds.Generate, "{}") { WorkItemId = itemId, MaxAttempts = 1 });
        return job.JobId;
    }

    private static Task<string> StatusAsync(TestDatabase db, long itemId) =>
        db.ScalarAsync<string>("SELECT status FROM work_items WHERE id = @itemId", new { itemId });

    [Fact]
    public async Task LastJobFailing_PutsADraftBackToDraft()
    {
        var (db, itemId) = await ItemAsync();
        using var _ = db;
        await QueueAsync(db, itemId);
        Assert.Equal("generating", await StatusAsync(db, itemId));

        var claim = (await db.Queue.ClaimAsync("w"))!;
        Assert.Equal(FailOutcome.Failed, await db.Queue.FailAsync(claim, "The server is down.", transient: false));

        Assert.Equal("draft", await StatusAsync(db, itemId));
    }

    [Fact]
    public async Task LastJobCanceled_WithEarlierCandidates_GoesBackToReview()
    {
        var (db, itemId) = await ItemAsync();
        using var _ = db;
        var first = await QueueAsync(db, itemId);
        await db.Database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO runs (work_item_id, job_id, attempt, model, prompt, settings_json, status, created_at, updated_at)
            VALUES (@itemId, @first, 1, 'offline/procedural', 'a cup', '{}', 'succeeded', 0, 0);
            UPDATE jobs SET status = 'succeeded' WHERE id = @first;
            UPDATE work_items SET status = 'review' WHERE id = @itemId;
            """, new { itemId, first }, t));
        var second = await QueueAsync(db, itemId);
        Assert.Equal("generating", await StatusAsync(db, itemId)); // queuing moved review to generating

        Assert.Equal(CancelOutcome.Canceled, await db.Queue.CancelAsync(second));

        Assert.Equal("review", await StatusAsync(db, itemId));
    }

    [Fact]
    public async Task AJobEnding_WhileAnotherIsQueued_KeepsGenerating_AndAFinalStaysFinal()
    {
        var (db, itemId) = await ItemAsync();
        using var _ = db;
        var first = await QueueAsync(db, itemId);
        var second = await QueueAsync(db, itemId);

        await db.Queue.CancelAsync(first);
        Assert.Equal("generating", await StatusAsync(db, itemId));

        await db.Database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE work_items SET status = 'final' WHERE id = @itemId", new { itemId }, t));
        await db.Queue.CancelAsync(second);
        Assert.Equal("final", await StatusAsync(db, itemId));
    }

    [Fact]
    public async Task OneModelSucceeding_WhileAnotherModelsJobRuns_KeepsGenerating_UntilTheLastEnds()
    {
        var (db, itemId) = await ItemAsync();
        using var _ = db;
        await QueueAsync(db, itemId);
        await QueueAsync(db, itemId);
        var payload = new JobSpec { Model = "offline/procedural", Prompt = "a cup", Origin = new JobOrigin { WorkItemId = itemId } };
        var fast = (await db.Queue.ClaimAsync("w1"))!;
        var slow = (await db.Queue.ClaimAsync("w2"))!;

        var run = (await db.Runs.StartAsync(fast, payload))!;
        Assert.Equal(ImageGen.Core.Generation.RunFinish.Succeeded, await db.Runs.FinishAsync(fast, run.RunId,
            new ImageGen.Core.Generation.RunOutcome.Succeeded([new("images/x/y/run-1/01.png", "png", 8, 8, 10, "00", 1)])));
        Assert.Equal("generating", await StatusAsync(db, itemId)); // the other model is still at work

        Assert.Equal(FailOutcome.Failed, await db.Queue.FailAsync(slow, "The server is down.", transient: false));
        Assert.Equal("review", await StatusAsync(db, itemId)); // settled once nothing runs, with candidates to look at
    }
}

public sealed class SqliteWorkItemStatusFacts() : WorkItemStatusFacts(Backend.Sqlite);

public sealed class PostgresWorkItemStatusFacts() : WorkItemStatusFacts(Backend.Postgres);
