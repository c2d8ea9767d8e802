using ImageGen.Core.Queue;

namespace ImageGen.Core.Tests.Queue;

public abstract class JobQueueFacts(Backend backend)
{
    private static NewJob Job(string? key = null, int maxAttempts = 3) =>
        new(JobKinds.Generate, """{"model":"offline/procedural","composedPrompt":"x"}""") { IdempotencyKey = key, MaxAttempts = maxAttempts };

    [Fact]
    public async Task Enqueue_SameIdempotencyKeyTwice_GivesOneJob()
    {
        using var db = await TestDatabase.CreateAsync(backend);

        var first = await db.Queue.EnqueueAsync(Job("form-123"));
        var second = await db.Queue.EnqueueAsync(Job("form-123"));

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.JobId, second.JobId);
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT count(*) FROM jobs"));
    }

    [Fact]
    public async Task Claim_TakesOldestDueJobOnce_AndNothingWhenEmpty()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        var first = await db.Queue.EnqueueAsync(Job());
        db.Time.Advance(TimeSpan.FromMilliseconds(1));
        var second = await db.Queue.EnqueueAsync(Job());

        var a = await db.Queue.ClaimAsync("a");
        var b = await db.Queue.ClaimAsync("b");
        var none = await db.Queue.ClaimAsync("c");

        Assert.Equal(first.JobId, a!.Id);
        Assert.Equal(second.JobId, b!.Id);
        Assert.Null(none);
        Assert.Equal(1, a.Attempt);
        Assert.NotEqual(a.ClaimToken, b.ClaimToken);
        var row = await db.Jobs.GetAsync(a.Id);
        Assert.Equal(JobStatus.Running, row!.Status);
        Assert.Equal("a", row.ClaimedBy);
        Assert.Equal(db.Queue.Now + (long)db.Options.LeaseDuration.TotalMilliseconds, row.LeaseExpiresAt);
    }

    [Fact]
    public async Task Renew_WhileLeaseHeld_ExtendsIt()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        await db.Queue.EnqueueAsync(Job());
        var claim = (await db.Queue.ClaimAsync("a"))!;
        db.Time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(RenewOutcome.Renewed, await db.Queue.RenewAsync(claim));

        db.Time.Advance(TimeSpan.FromSeconds(20)); // 40 s after the claim, 20 s after the renewal: still held
        Assert.Null(await db.Queue.ClaimAsync("b"));
    }

    [Fact]
    public async Task StaleWorker_FinishingAfterAReclaim_ChangesNothing()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        await db.Queue.EnqueueAsync(Job());
        var stale = (await db.Queue.ClaimAsync("stale"))!;
        db.Time.Advance(db.Options.LeaseDuration + TimeSpan.FromSeconds(1));

        var fresh = (await db.Queue.ClaimAsync("fresh"))!;
        Assert.Equal(stale.Id, fresh.Id);
        Assert.Equal(2, fresh.Attempt);

        Assert.False(await db.Queue.SucceedAsync(stale));
        Assert.Equal(FailOutcome.Lost, await db.Queue.FailAsync(stale, "stale failure", transient: false));
        Assert.Equal(RenewOutcome.Lost, await db.Queue.RenewAsync(stale));
        var row = await db.Jobs.GetAsync(stale.Id);
        Assert.Equal(JobStatus.Running, row!.Status);
        Assert.Equal(fresh.ClaimToken, row.ClaimToken);
        Assert.Null(row.ErrorMessage);

        Assert.True(await db.Queue.SucceedAsync(fresh));
        Assert.Equal(JobStatus.Succeeded, (await db.Jobs.GetAsync(stale.Id))!.Status);
    }

    [Fact]
    public async Task StaleWorker_FinishingBeforeAReclaim_LeavesNothingToReclaim()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        await db.Queue.EnqueueAsync(Job());
        var slow = (await db.Queue.ClaimAsync("slow"))!;
        db.Time.Advance(db.Options.LeaseDuration + TimeSpan.FromSeconds(1));

        // Its lease ran out, but nobody took the job over yet: its result still counts, once.
        Assert.True(await db.Queue.SucceedAsync(slow));
        Assert.Null(await db.Queue.ClaimAsync("late"));

        var row = await db.Jobs.GetAsync(slow.Id);
        Assert.Equal(JobStatus.Succeeded, row!.Status);
        Assert.Equal(1, row.Attempt);
        Assert.False(await db.Queue.SucceedAsync(slow)); // and a repeat of the same write changes nothing either
    }

    [Fact]
    public async Task ExpiredLease_WithAttemptsUsed_FailsWithWorkerLost()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        var id = (await db.Queue.EnqueueAsync(Job(maxAttempts: 1))).JobId;
        await db.Queue.ClaimAsync("killed");
        db.Time.Advance(db.Options.LeaseDuration + TimeSpan.FromSeconds(1));

        Assert.Null(await db.Queue.ClaimAsync("other")); // no attempts left to reclaim with
        var failed = await db.Queue.FailLostJobsAsync();

        Assert.Equal([id], failed);
        var row = await db.Jobs.GetAsync(id);
        Assert.Equal(JobStatus.Failed, row!.Status);
        Assert.StartsWith("Worker lost", row.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransientFailure_RetriesWithGrowingDelays_ThenGivesUp()
    {
        using var db = await TestDatabase.CreateAsync(new QueueOptions { RetryBaseDelay = TimeSpan.FromSeconds(10) }, backend);
        var id = (await db.Queue.EnqueueAsync(Job(maxAttempts: 4))).JobId;
        var delays = new List<long>();

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var claim = (await db.Queue.ClaimAsync("w"))!;
            Assert.Equal(attempt, claim.Attempt);
            Assert.Equal(FailOutcome.WillRetry, await db.Queue.FailAsync(claim, "rate limited", transient: true));
            var row = (await db.Jobs.GetAsync(id))!;
            Assert.Equal(JobStatus.Queued, row.Status);
            delays.Add(row.RunAfter - db.Queue.Now);

            Assert.Null(await db.Queue.ClaimAsync("w")); // not before its run_after
            db.Time.Advance(TimeSpan.FromMilliseconds(row.RunAfter - db.Queue.Now));
        }

        // base × 2^(n−1) with ±25% jitter: 7.5–12.5 s, 15–25 s, 30–50 s.
        Assert.InRange(delays[0], 7_500, 12_500);
        Assert.InRange(delays[1], 15_000, 25_000);
        Assert.InRange(delays[2], 30_000, 50_000);
        Assert.True(delays[0] < delays[1] && delays[1] < delays[2]);

        var last = (await db.Queue.ClaimAsync("w"))!;
        Assert.Equal(FailOutcome.Failed, await db.Queue.FailAsync(last, "rate limited", transient: true));
        var final = (await db.Jobs.GetAsync(id))!;
        Assert.Equal(JobStatus.Failed, final.Status);
        Assert.Equal("rate limited (gave up after 4 attempts)", final.ErrorMessage);
    }

    [Fact]
    public async Task TransientFailure_WithARetryHint_WaitsAtLeastTheHint()
    {
        using var db = await TestDatabase.CreateAsync(new QueueOptions { RetryBaseDelay = TimeSpan.FromSeconds(1) }, backend);
        var id = (await db.Queue.EnqueueAsync(Job())).JobId;
        var claim = (await db.Queue.ClaimAsync("w"))!;

        await db.Queue.FailAsync(claim, "429", transient: true, retryAfterHint: TimeSpan.FromSeconds(90));

        Assert.Equal(90_000, (await db.Jobs.GetAsync(id))!.RunAfter - db.Queue.Now);
    }

    [Fact]
    public async Task PermanentFailure_FailsAtOnceWithTheMessage()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        var id = (await db.Queue.EnqueueAsync(Job())).JobId;
        var claim = (await db.Queue.ClaimAsync("w"))!;

        Assert.Equal(FailOutcome.Failed, await db.Queue.FailAsync(claim, "Your request was rejected by the safety system.", transient: false));

        var row = (await db.Jobs.GetAsync(id))!;
        Assert.Equal(JobStatus.Failed, row.Status);
        Assert.Equal(1, row.Attempt);
        Assert.Equal("Your request was rejected by the safety system.", row.ErrorMessage);
        Assert.NotNull(row.FinishedAt);
    }

    [Fact]
    public async Task Cancel_QueuedJob_IsCanceledAtOnceAndNeverClaimed()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        var id = (await db.Queue.EnqueueAsync(Job())).JobId;

        Assert.Equal(CancelOutcome.Canceled, await db.Queue.CancelAsync(id));

        Assert.Null(await db.Queue.ClaimAsync("w"));
        Assert.Equal(JobStatus.Canceled, (await db.Jobs.GetAsync(id))!.Status);
        Assert.Equal(CancelOutcome.AlreadyFinished, await db.Queue.CancelAsync(id));
        Assert.Equal(CancelOutcome.NotFound, await db.Queue.CancelAsync(id + 100));
    }

    [Fact]
    public async Task Cancel_RunningJob_IsSeenAtTheNextRenewal()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        var id = (await db.Queue.EnqueueAsync(Job())).JobId;
        var claim = (await db.Queue.ClaimAsync("w"))!;

        Assert.Equal(CancelOutcome.CancelRequested, await db.Queue.CancelAsync(id));
        Assert.Equal(JobStatus.Running, (await db.Jobs.GetAsync(id))!.Status);
        Assert.Equal(RenewOutcome.CancelRequested, await db.Queue.RenewAsync(claim));

        await db.Database.WriteAsync((c, t) => db.Queue.MarkCanceledAsync(c, t, claim, "Canceled by request while running."));
        Assert.Equal(JobStatus.Canceled, (await db.Jobs.GetAsync(id))!.Status);
    }

    [Fact]
    public async Task Cancel_OfARunningJobWhoseWorkerDies_SurvivesTheReclaim_AndTheSweepCancelsIt()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        var id = (await db.Queue.EnqueueAsync(Job(maxAttempts: 3))).JobId;
        var claim = (await db.Queue.ClaimAsync("doomed"))!;
        await db.Database.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c,
            "INSERT INTO runs (job_id, attempt, model, prompt, settings_json, status, created_at, updated_at) VALUES (@Id, 1, 'offline/procedural', 'p', '{}', 'running', 0, 0)",
            claim, t));
        Assert.Equal(CancelOutcome.CancelRequested, await db.Queue.CancelAsync(id));
        db.Time.Advance(db.Options.LeaseDuration + TimeSpan.FromSeconds(1)); // the worker died before its next renewal

        Assert.Null(await db.Queue.ClaimAsync("rescuer")); // attempts are left, but the user asked to stop: never run again
        Assert.Equal(0, await db.Queue.RequeueExpiredAsync());
        Assert.Equal([id], await db.Queue.FailLostJobsAsync());

        var row = (await db.Jobs.GetAsync(id))!;
        Assert.Equal(JobStatus.Canceled, row.Status);
        Assert.StartsWith("Canceled by request", row.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("canceled", await db.ScalarAsync<string>("SELECT status FROM runs WHERE job_id = @id", new { id }));
        Assert.Null(await db.Queue.ClaimAsync("rescuer"));
    }

    [Fact]
    public async Task Retry_FailedJob_QueuesANewJobLinkedToTheOld()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        var id = (await db.Queue.EnqueueAsync(Job())).JobId;
        await db.Queue.FailAsync((await db.Queue.ClaimAsync("w"))!, "boom", transient: false);

        var retryId = await db.Queue.RetryAsync(id);

        var retry = (await db.Jobs.GetAsync(retryId!.Value))!;
        Assert.Equal(JobStatus.Queued, retry.Status);
        Assert.Equal(id, retry.RetryOfJobId);
        Assert.Equal(0, retry.Attempt);
        Assert.Equal((await db.Jobs.GetAsync(id))!.PayloadJson, retry.PayloadJson);
        Assert.Equal(JobStatus.Failed, (await db.Jobs.GetAsync(id))!.Status); // the history stays
    }

    [Fact]
    public async Task Retry_JobThatDidNotFail_DoesNothing()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        var id = (await db.Queue.EnqueueAsync(Job())).JobId;

        Assert.Null(await db.Queue.RetryAsync(id));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT count(*) FROM jobs"));
    }

    [Fact]
    public async Task Release_PutsTheJobBackWithoutSpendingAnAttempt()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        var id = (await db.Queue.EnqueueAsync(Job())).JobId;
        var claim = (await db.Queue.ClaimAsync("w"))!;

        Assert.True(await db.Database.WriteAsync((c, t) => db.Queue.ReleaseAsync(c, t, claim)));

        var row = (await db.Jobs.GetAsync(id))!;
        Assert.Equal(JobStatus.Queued, row.Status);
        Assert.Equal(0, row.Attempt);
        Assert.Null(row.ClaimToken);
        Assert.Equal(1, (await db.Queue.ClaimAsync("w2"))!.Attempt);
    }

    [Fact]
    public async Task Pause_StopsEveryClaim_AndResumeRestoresThem()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        var id = (await db.Queue.EnqueueAsync(Job())).JobId;

        await db.Queue.SetPausedAsync(true, "test");

        Assert.True(await db.Queue.IsPausedAsync());
        Assert.Null(await db.Queue.ClaimAsync("w"));
        Assert.Equal(JobStatus.Queued, (await db.Jobs.GetAsync(id))!.Status);

        await db.Queue.SetPausedAsync(false, "test");

        Assert.False(await db.Queue.IsPausedAsync());
        Assert.Equal(id, (await db.Queue.ClaimAsync("w"))!.Id);
    }

    [Fact]
    public async Task RequeueExpired_PutsJobsWithALapsedLeaseBackNow_AndLeavesLiveOnesAlone()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        var first = (await db.Queue.EnqueueAsync(Job())).JobId;
        var second = (await db.Queue.EnqueueAsync(Job())).JobId;
        var live = (await db.Queue.EnqueueAsync(Job())).JobId;
        await db.Queue.ClaimAsync("dead-1");
        await db.Queue.ClaimAsync("dead-2");
        db.Time.Advance(db.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        Assert.Equal(live, (await db.Queue.ClaimAsync("alive"))!.Id);

        var requeued = await db.Queue.RequeueExpiredAsync();

        Assert.Equal(2, requeued);
        Assert.Equal(JobStatus.Queued, (await db.Jobs.GetAsync(first))!.Status);
        Assert.Equal(JobStatus.Queued, (await db.Jobs.GetAsync(second))!.Status);
        Assert.Null((await db.Jobs.GetAsync(first))!.ClaimToken);
        Assert.Equal(JobStatus.Running, (await db.Jobs.GetAsync(live))!.Status);
        Assert.Equal(0, await db.Queue.RequeueExpiredAsync());
    }
}

public sealed class SqliteJobQueueFacts() : JobQueueFacts(Backend.Sqlite);

public sealed class PostgresJobQueueFacts() : JobQueueFacts(Backend.Postgres);
