using ImageGen.Core.Queue;
using ImageGen.Core.Storage.Sql;
using Microsoft.Extensions.Options;

namespace ImageGen.Core.Storage.Sqlite;

/// <summary>
/// The queue on SQLite. SQLite has one writer at a time, and every write here is a <c>BEGIN IMMEDIATE</c> transaction, so
/// the claim needs no row locks: picking and updating in one statement is atomic across processes. Workers hear of new
/// jobs over HTTP (<c>/wake</c>) or at their next poll.
/// </summary>
public sealed class SqliteJobQueue(SqliteDatabase database, SqlRunCloser runs, TimeProvider time, IOptions<QueueOptions> options)
    : SqlJobQueue(database, runs, time, options)
{
    protected override string ClaimSql => $"""
        UPDATE jobs
        SET {ClaimAssignments}
        WHERE NOT EXISTS (SELECT 1 FROM queue_control WHERE paused = 1)
          AND id = (
            SELECT id FROM (
                SELECT id, run_after AS due FROM (
                    SELECT id, run_after FROM jobs
                    WHERE status = 'queued' AND run_after <= @now
                    ORDER BY run_after, id LIMIT 1)
                UNION ALL
                SELECT id, lease_expires_at AS due FROM (
                    SELECT id, lease_expires_at FROM jobs
                    WHERE status = 'running' AND lease_expires_at < @now AND attempt < max_attempts
                      AND cancel_requested = 0
                    ORDER BY lease_expires_at LIMIT 1))
            ORDER BY due LIMIT 1)
        RETURNING {ClaimedColumns}
        """;
}
