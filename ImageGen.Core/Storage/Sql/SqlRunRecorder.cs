using System.Data;
using Dapper;
using ImageGen.Core.BrandCheck;
using ImageGen.Core.Files;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Storage.Sql;

/// <summary>
/// Runs and their images, each write in the same transaction as the fenced job update of <see cref="SqlJobQueue"/>: a run
/// row exists only while the claim is ours, and its outcome is written only if the job's is. Runs an earlier claim left
/// open are closed by <see cref="SqlRunCloser"/>, as the queue's sweeps close theirs.
/// </summary>
public sealed class SqlRunRecorder(Database database, SqlJobQueue queue, SqlRunCloser runs, TimeProvider time) : IRunRecorder
{
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<RunStart?> StartAsync(ClaimedJob job, JobSpec spec, CancellationToken cancellationToken = default)
    {
        // The run keeps the whole spec it was made with: its pages read it typed (JobSpec.ForRun).
        var settingsJson = spec.ToJson();
        var origin = spec.Origin ?? new JobOrigin();
        var (start, lost) = await database.WriteAsync<(RunStart?, IReadOnlyList<RunPlace>)>(async (c, t) =>
        {
            var now = Now;
            var runId = await c.ExecuteScalarAsync<long?>("""
                INSERT INTO runs (work_item_id, job_id, attempt, model, prompt, settings_json, status, parent_run_id, adjustment, brand_revision_id, created_at, updated_at)
                SELECT @WorkItemId, @Id, @Attempt, @Model, @Prompt, @settingsJson, 'running', @ParentRunId, @Adjustment, @BrandRevisionId, @now, @now
                WHERE EXISTS (SELECT 1 FROM jobs WHERE id = @Id AND claim_token = @ClaimToken AND status = 'running')
                RETURNING id
                """,
                new { origin.WorkItemId, job.Id, job.Attempt, spec.Model, spec.Prompt, settingsJson, origin.ParentRunId, origin.Adjustment, origin.BrandRevisionId, job.ClaimToken, now },
                t);
            if (runId is not { } id)
            {
                return (null, []);
            }
            // Runs of this job that an earlier claim left open: that worker is gone (the job was claimed again). Only now
            // that the claim is known to be ours: a stale worker must not close the run of the one that took over.
            var lost = await runs.CloseAsync(c, t, [job.Id], RunStatus.Failed, QueueMessages.LostRun + " The job was claimed again.", now, exceptRunId: id);
            var slugs = await c.QuerySingleOrDefaultAsync<(string, string)?>("""
                SELECT p.slug, w.slug FROM work_items w JOIN projects p ON p.id = w.project_id WHERE w.id = @workItemId
                """, new { workItemId = job.WorkItemId ?? origin.WorkItemId }, t);
            var place = slugs is var (project, item) ? new RunPlace(project, item, id) : RunPlace.Unfiled(job.Id, id);
            // Images this job, or a job it is a retry of, already got from runs that stopped short: asked for no more.
            var received = await c.ExecuteScalarAsync<long>("""
                WITH RECURSIVE chain (id) AS (
                    SELECT @jobId
                    UNION ALL
                    SELECT j.retry_of_job_id FROM jobs j JOIN chain ON j.id = chain.id WHERE j.retry_of_job_id IS NOT NULL
                )
                SELECT count(*) FROM run_images i JOIN runs r ON r.id = i.run_id
                WHERE r.job_id IN (SELECT id FROM chain) AND r.status = 'succeeded' AND r.missing IS NOT NULL
                """, new { jobId = job.Id }, t);
            return (new RunStart(id, place, (int)received), lost);
        }, cancellationToken);
        runs.Delete(lost);
        return start;
    }

    public async Task<RunFinish> FinishAsync(ClaimedJob job, long? runId, RunOutcome outcome, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(async (c, t) =>
        {
            async Task<RunFinish> FailJobAsync(RunOutcome.Failed f) => await queue.FailAsync(c, t, job, f.Message, f.Transient, f.RetryAfter) switch
            {
                FailOutcome.WillRetry => RunFinish.WillRetry,
                FailOutcome.Failed => RunFinish.Failed,
                _ => RunFinish.Lost,
            };
            var (finish, runStatus, message) = outcome switch
            {
                // A run that stopped short keeps its images (succeeded, with the reason) while its job fails or retries.
                RunOutcome.Succeeded { Shortfall: { } shortfall } => (await FailJobAsync(shortfall), RunStatus.Succeeded, shortfall.Message),
                RunOutcome.Succeeded => (await queue.SucceedAsync(c, t, job) ? RunFinish.Succeeded : RunFinish.Lost, RunStatus.Succeeded, null),
                RunOutcome.Failed f => (await FailJobAsync(f), RunStatus.Failed, f.Message),
                RunOutcome.Canceled x => (await queue.MarkCanceledAsync(c, t, job, x.Reason) ? RunFinish.Canceled : RunFinish.Lost, RunStatus.Canceled, x.Reason),
                RunOutcome.Released r => (await queue.ReleaseAsync(c, t, job) ? RunFinish.Released : RunFinish.Lost, RunStatus.Canceled, r.Reason),
                _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown outcome."),
            };
            if (finish == RunFinish.Lost || runId is not { } id)
            {
                return finish;
            }
            var now = Now;
            await c.ExecuteAsync("""
                UPDATE runs SET status = @runStatus, error_message = @message, finished_at = @now, updated_at = @now
                WHERE id = @id
                """, new { id, runStatus, message, now }, t);
            if (outcome is RunOutcome.Succeeded succeeded)
            {
                await c.ExecuteAsync("""
                    UPDATE runs SET provider_json = @json, cost_usd = @cost, missing = @missing WHERE id = @id
                    """, new { id, json = succeeded.Facts?.ToJson(), cost = (double?)succeeded.Facts?.Cost?.Usd, missing = succeeded.Facts?.Missing }, t);
                await RecordImagesAsync(c, t, id, succeeded.Images, now);
            }
            return finish;
        }, cancellationToken);

    private static async Task RecordImagesAsync(IDbConnection c, IDbTransaction t, long runId, IReadOnlyList<StoredImage> stored, long now)
    {
        // Candidates to look at: a draft or generating item is now in review (a final stays final), but only once
        // none of its jobs is queued or running: the same rule as the trigger that settles it on a failure.
        await c.ExecuteAsync("""
            UPDATE work_items SET status = 'review', updated_at = @now
            WHERE id = (SELECT work_item_id FROM runs WHERE id = @runId) AND status IN ('draft', 'generating')
              AND NOT EXISTS (SELECT 1 FROM jobs WHERE work_item_id = work_items.id AND status IN ('queued', 'running'))
            """, new { runId, now }, t);
        await c.ExecuteAsync("""
            INSERT INTO run_images (run_id, path, format, width, height, bytes, sha256, seed, thumbnail_path, warning, original_path,
                                    brand_verdict, brand_score, brand_json, created_at)
            VALUES (@runId, @RelativePath, @Format, @Width, @Height, @Bytes, @Sha256, @Seed, @ThumbnailPath, @Warning, @OriginalPath,
                    @brandVerdict, @brandScore, @brandJson, @now)
            """, stored.Select(i => new
            {
                runId, i.RelativePath, i.Format, i.Width, i.Height, i.Bytes, i.Sha256, i.Seed, i.ThumbnailPath, i.Warning, i.OriginalPath,
                brandVerdict = i.BrandCheck?.Verdict.ToText(), brandScore = i.BrandCheck?.BrandScore, brandJson = i.BrandCheck?.ToJson(), now,
            }), t);
    }
}
