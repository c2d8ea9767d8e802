namespace ImageGen.Core.Queue;

/// <summary>
/// The job queue as the web app and the worker see it, whatever stores it (docs/QUEUE.md): a claim hands out a lease and a
/// claim token, and every later write about the job is fenced by that token, so a worker whose lease was taken over
/// changes nothing. Only the queue's own verbs are here: recording a run's outcome together with its job is
/// <see cref="Generation.IRunRecorder"/>'s, and the reads the pages and gauges need are <c>Storage.JobQueries</c>'.
/// Implemented once, in the SQL both backends speak (<c>Storage/Sql/SqlJobQueue.cs</c>); <c>Storage/Sqlite/</c> and
/// <c>Storage/Postgres/</c> add only how a job is claimed and how workers hear of one.
/// </summary>
public interface IJobQueue
{
    /// <summary>Now, in the queue's clock (Unix milliseconds).</summary>
    long Now { get; }

    /// <summary>
    /// True when queuing a job wakes the workers by itself (PostgreSQL's NOTIFY), so the web app need not call one
    /// worker's <c>/wake</c>; false for SQLite, where the HTTP wake is how a worker hears of a new job before its next poll.
    /// </summary>
    bool WakesWorkers { get; }

    /// <summary>Queues a job; a second call with the same idempotency key returns the first job.</summary>
    Task<EnqueueResult> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the next due job (none while the queue is paused): a queued one whose <c>run_after</c> has come, or a running one
    /// whose lease ran out and that has attempts left. Null when nothing is due.
    /// </summary>
    Task<ClaimedJob?> ClaimAsync(string workerId, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease; also reports whether a cancel was asked for, or that the claim was lost.</summary>
    Task<RenewOutcome> RenewAsync(ClaimedJob job, CancellationToken cancellationToken = default);

    /// <summary>Marks a job that has no run succeeded, fenced by its claim. False when the claim was lost.</summary>
    Task<bool> SucceedAsync(ClaimedJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a failure of a job that has no run, fenced by the claim: a transient one with attempts left goes back to the
    /// queue with a backoff (never shorter than <paramref name="retryAfterHint"/>); anything else fails for good.
    /// </summary>
    Task<FailOutcome> FailAsync(ClaimedJob job, string errorMessage, bool transient, TimeSpan? retryAfterHint = null, CancellationToken cancellationToken = default);

    /// <summary>Cancels a queued job at once, or asks the worker running it to stop.</summary>
    Task<CancelOutcome> CancelAsync(long jobId, CancellationToken cancellationToken = default);

    /// <summary>Queues a failed or canceled job again as a new job linked to the old one. Null when it cannot be retried.</summary>
    Task<long?> RetryAsync(long jobId, string? traceParent = null, CancellationToken cancellationToken = default);

    /// <summary>Pauses or resumes claiming for every worker on this store. Running jobs are not touched.</summary>
    Task SetPausedAsync(bool paused, string changedBy, CancellationToken cancellationToken = default);

    Task<bool> IsPausedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Settles running jobs whose lease ran out and that will not be claimed again (no attempts left: failed, "Worker lost";
    /// a cancel asked for: canceled), closing their runs and removing their files. Safe when every worker runs it at once.
    /// Returns the ids it settled.
    /// </summary>
    Task<IReadOnlyList<long>> FailLostJobsAsync(CancellationToken cancellationToken = default);

    /// <summary>Puts running jobs whose lease ran out back in the queue now, closing their runs as lost. Returns how many.</summary>
    Task<int> RequeueExpiredAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="onJobQueued"/> whenever any process queues a job or resumes the queue, until canceled, where the
    /// backend can tell (PostgreSQL LISTEN); returns at once where it cannot (SQLite: the HTTP <c>/wake</c> and polling do).
    /// </summary>
    Task ListenAsync(Action onJobQueued, CancellationToken cancellationToken);
}

/// <summary>What a lost attempt's run and job are closed with, on every backend.</summary>
public static class QueueMessages
{
    /// <summary>It is not known which of these happened.</summary>
    public const string LostRun =
        "Stopped: this attempt's worker stopped renewing its lease before the run finished (it was killed, frozen, or could not write to the database).";

    /// <summary>The longest part of an earlier attempt's own message a "Worker lost" message repeats.</summary>
    private const int EarlierMessageLength = 300;

    /// <summary>
    /// A job failed because its last attempt's lease ran out: that one expiry, then what ended each earlier attempt, as
    /// <paramref name="endedBy"/> gives it from that attempt's run (null: no run was recorded). The earlier attempts are
    /// not counted as expiries: a CLI killed by the system or a provider's error ends an attempt without losing its lease.
    /// </summary>
    public static string WorkerLost(int attempt, int maxAttempts, Func<int, string?> endedBy)
    {
        var message = new System.Text.StringBuilder(
            $"Worker lost: the lease of attempt {attempt} of {maxAttempts} expired without the job finishing "
            + "(the worker process was killed, froze, or could not write to the database).");
        for (var earlier = 1; earlier < attempt; earlier++)
        {
            var said = endedBy(earlier)?.Trim();
            if (said is { Length: > EarlierMessageLength })
            {
                said = said[..EarlierMessageLength] + "…";
            }
            message.Append($" Attempt {earlier}: {(string.IsNullOrEmpty(said) ? "no run was recorded." : said)}");
        }
        return message.ToString();
    }
}
