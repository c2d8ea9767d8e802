using System.Data;
using Dapper;
using ImageGen.Core.Files;

namespace ImageGen.Core.Storage.Sql;

/// <summary>
/// Closes the runs a lost attempt left open and removes their files: the run side of settling a lost lease. It writes in
/// the caller's transaction, so the runs are closed in the same commit as the job change that settles them: a new run's
/// start (<see cref="SqlRunRecorder.StartAsync"/>, for runs of an earlier claim) and the sweeps of
/// <see cref="SqlJobQueue"/> (<see cref="SqlJobQueue.FailLostJobsAsync"/>, <see cref="SqlJobQueue.RequeueExpiredAsync"/>).
/// The files go after that commit (<see cref="Delete"/>): a worker killed between moving a run's files into place and
/// committing them leaves files that no row will ever point at.
/// </summary>
public sealed class SqlRunCloser(Database database, IImageStore images)
{
    /// <summary>
    /// Closes the open runs of <paramref name="jobIds"/> (but <paramref name="exceptRunId"/>) with <paramref name="status"/>
    /// and <paramref name="message"/>, in <paramref name="t"/>, and returns their places for <see cref="Delete"/>.
    /// </summary>
    internal async Task<IReadOnlyList<RunPlace>> CloseAsync(IDbConnection c, IDbTransaction t, IReadOnlyList<long> jobIds, string status, string message, long now, long? exceptRunId = null)
    {
        if (jobIds.Count == 0)
        {
            return [];
        }
        var closed = await c.QueryAsync<(long RunId, long JobId, string? ProjectSlug, string? ItemSlug)>($"""
            UPDATE runs SET status = @status, finished_at = @now, updated_at = @now, error_message = @message
            WHERE {database.Dialect.IsAnyOf("job_id", "@jobIds")} AND status = 'running' AND id <> COALESCE(@exceptRunId, -1)
            RETURNING id, job_id,
                      (SELECT p.slug FROM work_items w JOIN projects p ON p.id = w.project_id WHERE w.id = runs.work_item_id),
                      (SELECT w.slug FROM work_items w WHERE w.id = runs.work_item_id)
            """, new { jobIds = jobIds.ToArray(), status, message, now, exceptRunId }, t);
        return closed.Select(r => r.ProjectSlug is not null && r.ItemSlug is not null
                ? new RunPlace(r.ProjectSlug, r.ItemSlug, r.RunId)
                : RunPlace.Unfiled(r.JobId, r.RunId))
            .ToList();
    }

    /// <summary>
    /// Removes the files of runs <see cref="CloseAsync"/> closed, once their transaction has committed. Best effort: the rows
    /// are closed either way, and nothing serves a closed run's files.
    /// </summary>
    internal void Delete(IEnumerable<RunPlace> places)
    {
        foreach (var place in places)
        {
            images.Delete(place);
        }
    }
}
