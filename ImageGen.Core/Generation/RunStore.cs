using System.Data;
using Dapper;
using ImageGen.Core.Queue;

namespace ImageGen.Core.Generation;

public static class RunStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
}

/// <summary>A file the worker has put in its run folder, ready to be recorded.</summary>
public sealed record StoredImage(string RelativePath, string Format, int Width, int Height, long Bytes, string Sha256, long? Seed, string? ThumbnailPath = null);

/// <summary>Runs and their images. Every method writes inside the caller's transaction, next to the fenced job update.</summary>
public sealed class RunStore(TimeProvider time)
{
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Starts a run for a claimed job, only while the claim is still ours. Runs of the same job left
    /// 'running' by an earlier claim are closed as lost; their ids are returned so their folders can be removed.
    /// </summary>
    public async Task<(long? RunId, IReadOnlyList<long> LostRunIds)> CreateAsync(
        IDbConnection connection, IDbTransaction transaction, ClaimedJob job, GeneratePayload payload, string settingsJson)
    {
        var now = Now;
        var lost = (await connection.QueryAsync<long>("""
            UPDATE runs SET status = 'failed', finished_at = @now, updated_at = @now, error_message = @message
            WHERE job_id = @Id AND status = 'running'
            RETURNING id
            """, new { job.Id, now, message = JobQueue.LostRunMessage + " The job was claimed again." }, transaction)).ToList();
        var runId = await connection.ExecuteScalarAsync<long?>("""
            INSERT INTO runs (work_item_id, job_id, attempt, model, prompt, settings_json, status, parent_run_id, adjustment, brand_revision_id, created_at, updated_at)
            SELECT @WorkItemId, @Id, @Attempt, @Model, @ComposedPrompt, @settingsJson, 'running', @ParentRunId, @Adjustment, @BrandRevisionId, @now, @now
            WHERE EXISTS (SELECT 1 FROM jobs WHERE id = @Id AND claim_token = @ClaimToken AND status = 'running')
            RETURNING id
            """,
            new { payload.WorkItemId, job.Id, job.Attempt, payload.Model, payload.ComposedPrompt, settingsJson, payload.ParentRunId, payload.Adjustment, payload.BrandRevisionId, job.ClaimToken, now },
            transaction);
        return (runId, lost);
    }

    public async Task SucceedAsync(IDbConnection connection, IDbTransaction transaction, long runId, IReadOnlyList<StoredImage> images)
    {
        var now = Now;
        await connection.ExecuteAsync("""
            UPDATE runs SET status = 'succeeded', finished_at = @now, updated_at = @now WHERE id = @runId;
            -- Candidates to look at: a draft or generating item is now in review (a final stays final), but only once
            -- none of its jobs is queued or running: the same rule as the trigger that settles it on a failure.
            UPDATE work_items SET status = 'review', updated_at = @now
            WHERE id = (SELECT work_item_id FROM runs WHERE id = @runId) AND status IN ('draft', 'generating')
              AND NOT EXISTS (SELECT 1 FROM jobs WHERE work_item_id = work_items.id AND status IN ('queued', 'running'));
            """, new { runId, now }, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO run_images (run_id, path, format, width, height, bytes, sha256, seed, thumbnail_path, created_at)
            VALUES (@runId, @RelativePath, @Format, @Width, @Height, @Bytes, @Sha256, @Seed, @ThumbnailPath, @now)
            """, images.Select(i => new { runId, i.RelativePath, i.Format, i.Width, i.Height, i.Bytes, i.Sha256, i.Seed, i.ThumbnailPath, now }), transaction);
    }

    public Task FinishAsync(IDbConnection connection, IDbTransaction transaction, long runId, string status, string? errorMessage)
    {
        var now = Now;
        return connection.ExecuteAsync("""
            UPDATE runs SET status = @status, error_message = @errorMessage, finished_at = @now, updated_at = @now
            WHERE id = @runId
            """, new { runId, status, errorMessage, now }, transaction);
    }
}
