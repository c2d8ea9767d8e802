using ImageGen.Core.Queue;
using ImageGen.Core.Storage.Sql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImageGen.Core.Storage.Postgres;

/// <summary>
/// The queue on PostgreSQL, for several workers on several machines. The claim locks the row it picks with
/// <c>FOR UPDATE SKIP LOCKED</c>, so concurrent claims pass over each other's candidates instead of waiting or taking the
/// same job; the claim token fences every later write exactly as on SQLite. Queuing a job (or resuming the queue) sends
/// <c>NOTIFY imagegen_jobs</c> in the same transaction, so every listening worker hears of it the moment it commits.
/// </summary>
public sealed partial class PostgresJobQueue(
    PostgresDatabase database, SqlRunCloser runs, TimeProvider time, IOptions<QueueOptions> options, ILogger<PostgresJobQueue>? logger = null)
    : SqlJobQueue(database, runs, time, options)
{
    /// <summary>The channel queued jobs are announced on.</summary>
    public const string Channel = "imagegen_jobs";

    public override bool WakesWorkers => true;

    // Each CTE locks at most one row and skips rows another claim holds (FOR UPDATE may not sit under a UNION, so the
    // two are picked apart and the earlier-due one taken). A row a concurrent transaction changed in between is re-checked
    // against its CTE's WHERE before it is locked. While paused nothing is locked or claimed.
    protected override string ClaimSql => $"""
        WITH open AS (SELECT 1 FROM queue_control WHERE id = 1 AND paused = 0),
        queued AS (
            SELECT id, run_after AS due FROM jobs
            WHERE status = 'queued' AND run_after <= @now AND EXISTS (SELECT 1 FROM open)
            ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED),
        expired AS (
            SELECT id, lease_expires_at AS due FROM jobs
            WHERE status = 'running' AND lease_expires_at < @now AND attempt < max_attempts AND cancel_requested = 0
              AND EXISTS (SELECT 1 FROM open)
            ORDER BY lease_expires_at LIMIT 1 FOR UPDATE SKIP LOCKED),
        candidate AS (
            SELECT id FROM (SELECT id, due FROM queued UNION ALL SELECT id, due FROM expired) due ORDER BY due LIMIT 1)
        UPDATE jobs
        SET {ClaimAssignments}
        FROM candidate
        WHERE jobs.id = candidate.id
        RETURNING {Qualified(ClaimedColumns)}
        """;

    protected override string? NotifySql => $"SELECT pg_notify('{Channel}', '')";

    private static string Qualified(string columns) =>
        string.Join(", ", columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => $"jobs.{c}"));

    /// <summary>
    /// Holds one connection that LISTENs on <see cref="Channel"/> and calls <paramref name="onJobQueued"/> for each
    /// notification. A dropped connection is reopened after a pause (and the caller told, in case one was missed meanwhile).
    /// </summary>
    public override Task ListenAsync(Action onJobQueued, CancellationToken cancellationToken) =>
        database.ListenAsync(Channel, onJobQueued, e =>
        {
            if (logger is not null)
            {
                LogListenFailed(logger, e, database.Describe);
            }
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for queued jobs on {Database} failed; polling meanwhile, listening again in 2 s")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, string database);
}
