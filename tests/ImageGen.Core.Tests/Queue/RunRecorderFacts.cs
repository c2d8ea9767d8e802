using ImageGen.Core.Catalog;
using ImageGen.Core.Files;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Core.Spec;
using ImageGen.Core.Storage;

namespace ImageGen.Core.Tests.Queue;

/// <summary>
/// Recording a run (start for a claim; finish with one outcome, fenced with the job's own status) behaves the same on every
/// backend, including when a stale worker races the one that reclaimed its job, in either order.
/// </summary>
public abstract class RunRecorderFacts(Backend backend)
{
    private static readonly StoredImage Image = new("images/launch/hero/run-1/01-seed1.png", "png", 8, 8, 10, "00", 1, "images/launch/hero/run-1/thumbs/01-seed1.webp");

    private async Task<(TestDatabase Db, long ItemId, JobSpec Payload)> ItemWithJobAsync(int maxAttempts = 3)
    {
        var db = await TestDatabase.CreateAsync(backend);
        var catalog = new CatalogStore(db.Database, db.Time);
        var projectId = (await catalog.CreateProjectAsync("Launch", "launch", null))!.Value;
        var itemId = (await catalog.CreateWorkItemAsync(projectId, "Hero", "hero", "other", "a cup", "", null))!.Value;
        var payload = new JobSpec { Model = "offline/procedural", Prompt = "a cup", Count = 2, Size = "640x360", Seed = 7, Origin = new JobOrigin { WorkItemId = itemId } };
        await db.Queue.EnqueueAsync(new NewJob(JobKinds.Generate, payload.ToJson()) { WorkItemId = itemId, MaxAttempts = maxAttempts });
        return (db, itemId, payload);
    }

    [Fact]
    public async Task Start_ThenSucceed_RecordsTheRunItsImagesAndTheJob_InOneStep()
    {
        var (db, itemId, payload) = await ItemWithJobAsync();
        using var _ = db;
        var claim = (await db.Queue.ClaimAsync("w"))!;

        var run = (await db.Runs.StartAsync(claim, payload))!;

        Assert.Equal(new RunPlace("launch", "hero", run.RunId), run.Place);
        // The run keeps the whole spec it was made with, read back typed.
        Assert.Equal(payload.ToJson(), JobSpec.ForRun(await db.ScalarAsync<string>("SELECT settings_json FROM runs"), "other", "other").ToJson());
        Assert.Equal(RunFinish.Succeeded, await db.Runs.FinishAsync(claim, run.RunId, new RunOutcome.Succeeded([Image])));
        Assert.Equal(JobStatus.Succeeded, (await db.Jobs.GetAsync(claim.Id))!.Status);
        Assert.Equal(RunStatus.Succeeded, await db.ScalarAsync<string>("SELECT status FROM runs"));
        Assert.Equal(Image.ThumbnailPath, await db.ScalarAsync<string>("SELECT thumbnail_path FROM run_images"));
        Assert.Equal("review", await db.ScalarAsync<string>("SELECT status FROM work_items WHERE id = @itemId", new { itemId }));
    }

    [Fact]
    public async Task StaleWorker_FinishingAfterAReclaim_WritesNothing_AndLeavesTheNewRunAlone()
    {
        var (db, _, payload) = await ItemWithJobAsync();
        using var __ = db;
        var stale = (await db.Queue.ClaimAsync("stale"))!;
        var staleRun = (await db.Runs.StartAsync(stale, payload))!;
        db.Time.Advance(db.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        var fresh = (await db.Queue.ClaimAsync("fresh"))!;
        var freshRun = (await db.Runs.StartAsync(fresh, payload))!;

        // The reclaim closed the stale attempt's run as lost; the stale worker's late writes change nothing.
        Assert.Equal(RunFinish.Lost, await db.Runs.FinishAsync(stale, staleRun.RunId, new RunOutcome.Succeeded([Image])));
        Assert.Equal(RunFinish.Lost, await db.Runs.FinishAsync(stale, staleRun.RunId, new RunOutcome.Failed("late", Transient: false)));
        Assert.Null(await db.Runs.StartAsync(stale, payload));
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT count(*) FROM run_images"));
        Assert.Equal(RunStatus.Failed, await db.ScalarAsync<string>("SELECT status FROM runs WHERE id = @RunId", staleRun));
        Assert.Equal(RunStatus.Running, await db.ScalarAsync<string>("SELECT status FROM runs WHERE id = @RunId", freshRun));
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT count(*) FROM runs"));

        Assert.Equal(RunFinish.Succeeded, await db.Runs.FinishAsync(fresh, freshRun.RunId, new RunOutcome.Succeeded([Image])));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT count(*) FROM run_images"));
    }

    [Fact]
    public async Task StaleWorker_FinishingBeforeAReclaim_Counts_AndNothingIsReclaimed()
    {
        var (db, _, payload) = await ItemWithJobAsync();
        using var __ = db;
        var slow = (await db.Queue.ClaimAsync("slow"))!;
        var run = (await db.Runs.StartAsync(slow, payload))!;
        db.Time.Advance(db.Options.LeaseDuration + TimeSpan.FromSeconds(1));

        Assert.Equal(RunFinish.Succeeded, await db.Runs.FinishAsync(slow, run.RunId, new RunOutcome.Succeeded([Image])));

        Assert.Null(await db.Queue.ClaimAsync("late"));
        Assert.Equal(RunFinish.Lost, await db.Runs.FinishAsync(slow, run.RunId, new RunOutcome.Succeeded([Image])));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT count(*) FROM run_images"));
    }

    [Fact]
    public async Task Reclaim_RemovesTheFilesOfTheRunItClosesAsLost()
    {
        var (db, _, payload) = await ItemWithJobAsync();
        using var __ = db;
        var killed = (await db.Queue.ClaimAsync("killed"))!;
        var lostRun = (await db.Runs.StartAsync(killed, payload))!;
        var folder = db.Images.RunFolder(lostRun.Place);
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, "01-seed1.png"), [1, 2, 3], TestContext.Current.CancellationToken);
        db.Time.Advance(db.Options.LeaseDuration + TimeSpan.FromSeconds(1));

        var rescuer = (await db.Queue.ClaimAsync("rescuer"))!;
        Assert.NotNull(await db.Runs.StartAsync(rescuer, payload));

        Assert.False(Directory.Exists(folder));
        Assert.Equal(QueueMessages.LostRun + " The job was claimed again.", await db.ScalarAsync<string>("SELECT error_message FROM runs WHERE id = @RunId", lostRun));
    }

    [Fact]
    public async Task EachOutcome_SetsTheJobAndTheRun()
    {
        var (db, _, payload) = await ItemWithJobAsync(maxAttempts: 2);
        using var __ = db;

        var first = (await db.Queue.ClaimAsync("w"))!;
        var r1 = (await db.Runs.StartAsync(first, payload))!.RunId;
        Assert.Equal(RunFinish.WillRetry, await db.Runs.FinishAsync(first, r1, new RunOutcome.Failed("busy provider", Transient: true, TimeSpan.FromSeconds(5))));
        db.Time.Advance(TimeSpan.FromMinutes(5));

        var second = (await db.Queue.ClaimAsync("w"))!;
        var r2 = (await db.Runs.StartAsync(second, payload))!.RunId;
        Assert.Equal(RunFinish.Released, await db.Runs.FinishAsync(second, r2, new RunOutcome.Released("shutdown")));
        Assert.Equal(1, (await db.Jobs.GetAsync(second.Id))!.Attempt); // a release spends no attempt

        var third = (await db.Queue.ClaimAsync("w"))!;
        var r3 = (await db.Runs.StartAsync(third, payload))!.RunId;
        Assert.Equal(RunFinish.Canceled, await db.Runs.FinishAsync(third, r3, new RunOutcome.Canceled("Canceled by request while running.")));

        var statuses = await db.Database.ReadAsync(async c => (await Dapper.SqlMapper.QueryAsync<(string Status, string Error)>(c,
            "SELECT status, error_message FROM runs ORDER BY id")).ToList());
        Assert.Equal([(RunStatus.Failed, "busy provider"), (RunStatus.Canceled, "shutdown"), (RunStatus.Canceled, "Canceled by request while running.")], statuses);
        Assert.Equal(JobStatus.Canceled, (await db.Jobs.GetAsync(third.Id))!.Status);
    }

    /// <summary>
    /// The job's last attempt lost its lease; the earlier ones ended otherwise (a killed CLI, a lease lost and the job
    /// claimed again): the job's message counts one expiry for the last attempt and says, per attempt, what its run
    /// recorded, instead of calling every attempt an expired lease.
    /// </summary>
    [Fact]
    public async Task LastAttemptLost_TheJobSaysWhatEndedEachAttempt()
    {
        var (db, _, payload) = await ItemWithJobAsync(maxAttempts: 3);
        using var __ = db;
        const string killed = "imagegen was killed by signal SIGKILL (9) before it finished, by another program or by the system when memory ran out.";

        var first = (await db.Queue.ClaimAsync("w"))!;
        var r1 = (await db.Runs.StartAsync(first, payload))!.RunId;
        Assert.Equal(RunFinish.WillRetry, await db.Runs.FinishAsync(first, r1, new RunOutcome.Failed(killed, Transient: true, TimeSpan.FromSeconds(1))));
        db.Time.Advance(TimeSpan.FromMinutes(5));
        var second = (await db.Queue.ClaimAsync("w"))!;
        Assert.NotNull(await db.Runs.StartAsync(second, payload));
        db.Time.Advance(db.Options.LeaseDuration + TimeSpan.FromSeconds(1)); // its worker froze: reclaimed
        var third = (await db.Queue.ClaimAsync("w"))!;
        Assert.Equal(3, third.Attempt);
        Assert.NotNull(await db.Runs.StartAsync(third, payload));
        db.Time.Advance(db.Options.LeaseDuration + TimeSpan.FromSeconds(1)); // and the last one's worker was killed

        Assert.Equal([third.Id], await db.Queue.FailLostJobsAsync());

        var job = (await db.Jobs.GetAsync(third.Id))!;
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(
            "Worker lost: the lease of attempt 3 of 3 expired without the job finishing (the worker process was killed, froze, "
            + "or could not write to the database). Attempt 1: " + killed + " Attempt 2: " + QueueMessages.LostRun + " The job was claimed again.",
            job.ErrorMessage);
        Assert.Equal(QueueMessages.LostRun, await db.ScalarAsync<string>("SELECT error_message FROM runs WHERE attempt = 3"));
        Assert.Empty(await db.Queue.FailLostJobsAsync()); // settled once
    }

    [Fact]
    public async Task OnlyAttemptLost_WithNoRun_SaysSo()
    {
        var (db, _, _) = await ItemWithJobAsync(maxAttempts: 2);
        using var __ = db;
        var first = (await db.Queue.ClaimAsync("w"))!;
        db.Time.Advance(db.Options.LeaseDuration + TimeSpan.FromSeconds(1)); // killed before it started a run
        var second = (await db.Queue.ClaimAsync("w"))!;
        db.Time.Advance(db.Options.LeaseDuration + TimeSpan.FromSeconds(1));

        Assert.Equal([first.Id], await db.Queue.FailLostJobsAsync());

        Assert.Equal(
            "Worker lost: the lease of attempt 2 of 2 expired without the job finishing (the worker process was killed, froze, "
            + "or could not write to the database). Attempt 1: no run was recorded.",
            (await db.Jobs.GetAsync(second.Id))!.ErrorMessage);
    }

    [Fact]
    public async Task ManyConcurrentClaimers_InOneProcess_TakeEachJobOnce()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        const int jobs = 300;
        for (var i = 0; i < jobs; i++)
        {
            await db.Queue.EnqueueAsync(new NewJob("noop", "{}"));
        }

        var claimed = await Task.WhenAll(Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (await db.Queue.ClaimAsync($"c{n}") is { } job)
            {
                Assert.True(await db.Queue.SucceedAsync(job));
                mine.Add(job.Id);
            }
            return mine;
        })));

        var all = claimed.SelectMany(c => c).ToList();
        Assert.Equal(jobs, all.Count);
        Assert.Equal(jobs, all.Distinct().Count());
    }
}

public sealed class SqliteRunRecorderFacts() : RunRecorderFacts(Backend.Sqlite);

public sealed class PostgresRunRecorderFacts() : RunRecorderFacts(Backend.Postgres);
