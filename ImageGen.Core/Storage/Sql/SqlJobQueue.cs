using System.Data;
using Dapper;
using ImageGen.Core.Files;
using ImageGen.Core.Queue;
using Microsoft.Extensions.Options;

namespace ImageGen.Core.Storage.Sql;

/// <summary>
/// The job queue in SQL both backends speak. A claim is one <c>UPDATE … RETURNING</c> that hands out a random claim token
/// and a short lease; every later write about the job carries <c>AND claim_token = @token</c>, so a worker whose lease was
/// taken over changes nothing. What differs per backend is only how the next job is picked and locked
/// (<see cref="ClaimSql"/>) and how other workers hear of a new job (<see cref="NotifySql"/>, <see cref="ListenAsync"/>).
/// The sweeps close the runs of the jobs they settle through <paramref name="runs"/>, in their own transaction.
/// See docs/QUEUE.md for the promises and how they are tested.
/// </summary>
public abstract class SqlJobQueue(Database database, SqlRunCloser runs, TimeProvider time, IOptions<QueueOptions> options) : IJobQueue
{
    private QueueOptions Options => options.Value;

    public long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public virtual bool WakesWorkers => false;

    /// <summary>
    /// The claim: one statement that picks the next due job (see <see cref="ClaimAsync(string, CancellationToken)"/>), sets it
    /// running under <c>@token</c> and <c>@workerId</c> with a lease to <c>@now + @leaseMs</c>, and returns the claimed row;
    /// no row while the queue is paused.
    /// </summary>
    protected abstract string ClaimSql { get; }

    /// <summary>A statement run in the transaction that queues a job or resumes the queue, to wake every worker (or none).</summary>
    protected virtual string? NotifySql => null;

    public virtual Task ListenAsync(Action onJobQueued, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The columns a claim returns, for <see cref="ClaimSql"/>.</summary>
    protected const string ClaimedColumns = """
        id, kind, work_item_id, payload_json, attempt, max_attempts, claim_token, lease_expires_at, created_at, trace_parent
        """;

    /// <summary>What a claimed row becomes, for <see cref="ClaimSql"/>.</summary>
    protected const string ClaimAssignments = """
        status = 'running', attempt = attempt + 1, claim_token = @token, claimed_by = @workerId,
        lease_expires_at = @now + @leaseMs, started_at = COALESCE(started_at, @now), updated_at = @now
        """;

    public Task<EnqueueResult> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default) =>
        database.WriteAsync((c, t) => EnqueueAsync(c, t, job), cancellationToken);

    internal async Task<EnqueueResult> EnqueueAsync(IDbConnection connection, IDbTransaction transaction, NewJob job)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(job.Kind);
        ArgumentOutOfRangeException.ThrowIfLessThan(job.MaxAttempts, 1);
        var now = Now;
        // ON CONFLICT rather than look-then-insert: two submits of one form racing on PostgreSQL both find no row first.
        var newId = await connection.ExecuteScalarAsync<long?>("""
            INSERT INTO jobs (kind, work_item_id, status, payload_json, idempotency_key, max_attempts, run_after,
                              retry_of_job_id, trace_parent, created_at, updated_at)
            VALUES (@Kind, @WorkItemId, 'queued', @PayloadJson, @IdempotencyKey, @MaxAttempts, @now,
                    @RetryOfJobId, @TraceParent, @now, @now)
            ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING id
            """,
            new { job.Kind, job.WorkItemId, job.PayloadJson, job.IdempotencyKey, job.MaxAttempts, job.RetryOfJobId, job.TraceParent, now },
            transaction);
        if (newId is { } id)
        {
            await NotifyAsync(connection, transaction);
            return new EnqueueResult(id, Created: true);
        }
        var existing = await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM jobs WHERE idempotency_key = @IdempotencyKey", new { job.IdempotencyKey }, transaction);
        return new EnqueueResult(existing, Created: false);
    }

    private async Task NotifyAsync(IDbConnection connection, IDbTransaction transaction)
    {
        if (NotifySql is { } notify)
        {
            await connection.ExecuteAsync(notify, transaction: transaction);
        }
    }

    /// <summary>
    /// Claims the next due job (none while the queue is paused) — a queued one whose <c>run_after</c> has come, or a running one whose lease ran
    /// out and that has attempts left — in one atomic statement. Returns null when nothing is due.
    /// </summary>
    public Task<ClaimedJob?> ClaimAsync(string workerId, CancellationToken cancellationToken = default) =>
        database.WriteAsync((c, t) => c.QuerySingleOrDefaultAsync<ClaimedJob>(ClaimSql,
            new { token = Guid.NewGuid().ToString("N"), workerId, now = Now, leaseMs = (long)Options.LeaseDuration.TotalMilliseconds }, t),
            cancellationToken);

    /// <summary>Extends the lease; also reports whether a cancel was asked for, or that the claim was lost.</summary>
    public Task<RenewOutcome> RenewAsync(ClaimedJob job, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (c, t) =>
        {
            var now = Now;
            var cancelRequested = await c.ExecuteScalarAsync<long?>("""
                UPDATE jobs SET lease_expires_at = @now + @leaseMs, updated_at = @now
                WHERE id = @Id AND claim_token = @ClaimToken AND status = 'running'
                RETURNING cancel_requested
                """,
                new { job.Id, job.ClaimToken, now, leaseMs = (long)Options.LeaseDuration.TotalMilliseconds }, t);
            return cancelRequested switch
            {
                null => RenewOutcome.Lost,
                0 => RenewOutcome.Renewed,
                _ => RenewOutcome.CancelRequested,
            };
        }, cancellationToken);

    /// <summary>Marks the job succeeded, fenced by its claim. False when the claim was lost.</summary>
    internal async Task<bool> SucceedAsync(IDbConnection connection, IDbTransaction transaction, ClaimedJob job)
    {
        var now = Now;
        var rows = await connection.ExecuteAsync("""
            UPDATE jobs SET status = 'succeeded', finished_at = @now, updated_at = @now, lease_expires_at = NULL,
                            error_message = NULL
            WHERE id = @Id AND claim_token = @ClaimToken AND status = 'running'
            """, new { job.Id, job.ClaimToken, now }, transaction);
        return rows == 1;
    }

    public Task<bool> SucceedAsync(ClaimedJob job, CancellationToken cancellationToken = default) =>
        database.WriteAsync((c, t) => SucceedAsync(c, t, job), cancellationToken);

    /// <summary>
    /// Records a failure, fenced by the claim. A transient failure with attempts left goes back to the queue
    /// with a backoff (never shorter than <paramref name="retryAfterHint"/>); anything else fails for good.
    /// </summary>
    internal async Task<FailOutcome> FailAsync(
        IDbConnection connection, IDbTransaction transaction, ClaimedJob job, string errorMessage, bool transient, TimeSpan? retryAfterHint = null)
    {
        var now = Now;
        if (transient && job.Attempt < job.MaxAttempts)
        {
            var delay = RetryPolicy.Delay(job.Attempt, Options.RetryBaseDelay, Options.RetryMaxDelay, retryAfterHint);
            var requeued = await connection.ExecuteAsync("""
                UPDATE jobs SET status = 'queued', run_after = @runAfter, claim_token = NULL, lease_expires_at = NULL,
                                claimed_by = NULL, error_message = @errorMessage, updated_at = @now
                WHERE id = @Id AND claim_token = @ClaimToken AND status = 'running'
                """,
                new { job.Id, job.ClaimToken, now, runAfter = now + (long)delay.TotalMilliseconds, errorMessage }, transaction);
            return requeued == 1 ? FailOutcome.WillRetry : FailOutcome.Lost;
        }

        var message = transient
            ? $"{errorMessage} (gave up after {job.Attempt} attempt{(job.Attempt == 1 ? "" : "s")})"
            : errorMessage;
        var failed = await connection.ExecuteAsync("""
            UPDATE jobs SET status = 'failed', finished_at = @now, updated_at = @now, lease_expires_at = NULL,
                            error_message = @message
            WHERE id = @Id AND claim_token = @ClaimToken AND status = 'running'
            """, new { job.Id, job.ClaimToken, now, message }, transaction);
        return failed == 1 ? FailOutcome.Failed : FailOutcome.Lost;
    }

    public Task<FailOutcome> FailAsync(ClaimedJob job, string errorMessage, bool transient, TimeSpan? retryAfterHint = null, CancellationToken cancellationToken = default) =>
        database.WriteAsync((c, t) => FailAsync(c, t, job, errorMessage, transient, retryAfterHint), cancellationToken);

    /// <summary>Marks a running job canceled after its worker stopped the CLI. False when the claim was lost.</summary>
    internal async Task<bool> MarkCanceledAsync(IDbConnection connection, IDbTransaction transaction, ClaimedJob job, string reason)
    {
        var now = Now;
        var rows = await connection.ExecuteAsync("""
            UPDATE jobs SET status = 'canceled', finished_at = @now, updated_at = @now, lease_expires_at = NULL,
                            error_message = @reason
            WHERE id = @Id AND claim_token = @ClaimToken AND status = 'running'
            """, new { job.Id, job.ClaimToken, now, reason }, transaction);
        return rows == 1;
    }

    /// <summary>
    /// Gives a job back to the queue at shutdown without spending an attempt on it. False when the claim was lost.
    /// </summary>
    internal async Task<bool> ReleaseAsync(IDbConnection connection, IDbTransaction transaction, ClaimedJob job)
    {
        var now = Now;
        var rows = await connection.ExecuteAsync("""
            UPDATE jobs SET status = 'queued', attempt = attempt - 1, run_after = @now, claim_token = NULL,
                            claimed_by = NULL, lease_expires_at = NULL, updated_at = @now
            WHERE id = @Id AND claim_token = @ClaimToken AND status = 'running'
            """, new { job.Id, job.ClaimToken, now }, transaction);
        return rows == 1;
    }

    /// <summary>Cancels a queued job at once, or asks the worker running it to stop.</summary>
    public Task<CancelOutcome> CancelAsync(long jobId, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (c, t) =>
        {
            var now = Now;
            // Each step checks the status it changes, so a claim between them (another process, on PostgreSQL) is never
            // overwritten: a job claimed after the first step is asked to stop by the second.
            if (await c.ExecuteAsync("""
                UPDATE jobs SET status = 'canceled', finished_at = @now, updated_at = @now,
                                error_message = 'Canceled before it started.'
                WHERE id = @jobId AND status = 'queued'
                """, new { jobId, now }, t) == 1)
            {
                return CancelOutcome.Canceled;
            }
            if (await c.ExecuteAsync(
                "UPDATE jobs SET cancel_requested = 1, updated_at = @now WHERE id = @jobId AND status = 'running'", new { jobId, now }, t) == 1)
            {
                return CancelOutcome.CancelRequested;
            }
            return await c.ExecuteScalarAsync<string?>("SELECT status FROM jobs WHERE id = @jobId", new { jobId }, t) is null
                ? CancelOutcome.NotFound
                : CancelOutcome.AlreadyFinished;
        }, cancellationToken);

    /// <summary>
    /// Queues a failed or canceled job again as a new job linked to the old one, so the history of both stays.
    /// Returns null when the job does not exist or has not finished unsuccessfully.
    /// </summary>
    public Task<long?> RetryAsync(long jobId, string? traceParent = null, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (c, t) =>
        {
            var now = Now;
            var id = await c.ExecuteScalarAsync<long?>("""
                INSERT INTO jobs (kind, work_item_id, status, payload_json, max_attempts, run_after, retry_of_job_id,
                                  trace_parent, created_at, updated_at)
                SELECT kind, work_item_id, 'queued', payload_json, max_attempts, @now, id, @traceParent, @now, @now
                FROM jobs WHERE id = @jobId AND status IN ('failed', 'canceled')
                RETURNING id
                """, new { jobId, now, traceParent }, t);
            if (id is not null)
            {
                await NotifyAsync(c, t);
            }
            return id;
        }, cancellationToken);

    /// <summary>
    /// Settles running jobs whose lease ran out and that will not be claimed again: those with no attempts left fail
    /// ("Worker lost"), and those whose cancel was asked for are canceled, so a cancel survives the loss of the worker
    /// that should have carried it out. Their open runs are closed with the reason. Returns the ids it settled.
    /// </summary>
    public async Task<IReadOnlyList<long>> FailLostJobsAsync(CancellationToken cancellationToken = default)
    {
        var (ids, places) = await database.WriteAsync<(IReadOnlyList<long>, IReadOnlyList<RunPlace>)>(async (c, t) =>
        {
            var now = Now;
            var canceled = (await c.QueryAsync<long>("""
                UPDATE jobs
                SET status = 'canceled', finished_at = @now, updated_at = @now, claim_token = NULL, lease_expires_at = NULL,
                    error_message = 'Canceled by request; the worker running it stopped renewing its lease before it could stop it.'
                WHERE status = 'running' AND lease_expires_at < @now AND cancel_requested = 1
                RETURNING id
                """, new { now }, t)).ToList();
            var failed = await FailLostAsync(c, t, now);
            var places = new List<RunPlace>();
            places.AddRange(await runs.CloseAsync(c, t, canceled, RunStatusCanceled, "Canceled by request; " + QueueMessages.LostRun, now));
            places.AddRange(await runs.CloseAsync(c, t, failed, RunStatusFailed, QueueMessages.LostRun, now));
            return ([.. canceled, .. failed], places);
        }, cancellationToken);
        runs.Delete(places);
        return ids;
    }

    /// <summary>
    /// Fails the running jobs whose lease ran out with no attempts left. Only the last attempt is known to have lost its
    /// lease; the earlier ones ended as their runs recorded (a killed CLI, a provider error, a lease lost and the job
    /// claimed again), so each job's message is written from its runs (<see cref="QueueMessages.WorkerLost"/>). Each
    /// update repeats the sweep's condition: a job another sweep settled in the meantime is left alone.
    /// </summary>
    private static async Task<List<long>> FailLostAsync(IDbConnection c, IDbTransaction t, long now)
    {
        var lost = (await c.QueryAsync<(long Id, long Attempt, long MaxAttempts)>("""
            SELECT id, attempt, max_attempts FROM jobs
            WHERE status = 'running' AND lease_expires_at < @now AND attempt >= max_attempts
            ORDER BY id
            """, new { now }, t)).ToList();
        var failed = new List<long>(lost.Count);
        foreach (var job in lost)
        {
            // The newest run of each earlier attempt (a release gives an attempt back, so one number can have two runs).
            var earlier = (await c.QueryAsync<(long Attempt, string Status, string? ErrorMessage)>("""
                SELECT attempt, status, error_message FROM runs
                WHERE job_id = @Id AND attempt < @Attempt
                ORDER BY attempt, id
                """, new { job.Id, job.Attempt }, t))
                .GroupBy(r => r.Attempt)
                .ToDictionary(g => (int)g.Key, g => g.Last());
            var message = QueueMessages.WorkerLost((int)job.Attempt, (int)job.MaxAttempts,
                attempt => earlier.TryGetValue(attempt, out var run) ? run.ErrorMessage ?? $"its run {run.Status}." : null);
            if (await c.ExecuteAsync("""
                UPDATE jobs
                SET status = 'failed', finished_at = @now, updated_at = @now, claim_token = NULL, lease_expires_at = NULL,
                    error_message = @message
                WHERE id = @id AND status = 'running' AND lease_expires_at < @now AND attempt >= max_attempts
                """, new { id = job.Id, now, message }, t) == 1)
            {
                failed.Add(job.Id);
            }
        }
        return failed;
    }

    private const string RunStatusFailed = "failed";
    private const string RunStatusCanceled = "canceled";

    /// <summary>Pauses or resumes claiming for every worker on this database. Running jobs are not touched.</summary>
    public Task SetPausedAsync(bool paused, string changedBy, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                "UPDATE queue_control SET paused = @paused, changed_at = @now, changed_by = @changedBy WHERE id = 1",
                new { paused = paused ? 1 : 0, now = Now, changedBy }, t);
            if (!paused)
            {
                await NotifyAsync(c, t);
            }
        }, cancellationToken);

    public Task<bool> IsPausedAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<bool>("SELECT paused FROM queue_control WHERE id = 1"), cancellationToken);

    /// <summary>
    /// Puts running jobs whose lease ran out back in the queue now (the dashboard's "requeue expired leases"),
    /// closing their runs as lost, instead of waiting for a claim to pick them up. Returns how many.
    /// </summary>
    public async Task<int> RequeueExpiredAsync(CancellationToken cancellationToken = default)
    {
        var (count, places) = await database.WriteAsync<(int, IReadOnlyList<RunPlace>)>(async (c, t) =>
        {
            var now = Now;
            var ids = (await c.QueryAsync<long>("""
                UPDATE jobs SET status = 'queued', run_after = @now, claim_token = NULL, claimed_by = NULL,
                                lease_expires_at = NULL, updated_at = @now
                WHERE status = 'running' AND lease_expires_at < @now AND attempt < max_attempts AND cancel_requested = 0
                RETURNING id
                """, new { now }, t)).ToList();
            var places = await runs.CloseAsync(c, t, ids, RunStatusFailed, QueueMessages.LostRun + " The job was requeued.", now);
            if (ids.Count > 0)
            {
                await NotifyAsync(c, t);
            }
            return (ids.Count, places);
        }, cancellationToken);
        runs.Delete(places);
        return count;
    }
}
