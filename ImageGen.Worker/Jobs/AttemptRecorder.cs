using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace ImageGen.Worker.Jobs;

/// <summary>
/// Writes an attempt's outcome through <see cref="IRunRecorder"/>, and keeps trying through storage trouble: a full disk or a
/// busy database gets more tries, a renewal interval apart, for up to one lease. An outcome is worth waiting for, and past a
/// lease the claim may be gone anyway (the write is fenced, so a late one changes nothing). The worker's trouble shows on
/// /status meanwhile. Failures are redacted, counted and logged here.
/// </summary>
public sealed partial class AttemptRecorder(
    IRunRecorder runs,
    WorkerState state,
    QueueMetrics metrics,
    TimeProvider time,
    IOptions<WorkerOptions> options,
    IOptions<QueueOptions> queueOptions,
    SecretRedactor redactor,
    ILogger<AttemptRecorder> logger)
{
    public async Task<RunFinish> FinishAsync(ClaimedJob job, long? runId, RunOutcome outcome)
    {
        var deadline = time.GetUtcNow() + queueOptions.Value.LeaseDuration;
        while (true)
        {
            try
            {
                var finish = await runs.FinishAsync(job, runId, outcome);
                state.TroubleCleared();
                Log(job, finish);
                return finish;
            }
            catch (StorageException e) when (time.GetUtcNow() < deadline)
            {
                state.TroubleSeen($"The worker cannot record job {job.Id}'s outcome yet ({e.Trouble.Cause}); it keeps trying.", e.Trouble.Cause);
                LogRecordRetry(logger, job.Id, e.Trouble.Kind);
                await Task.Delay(options.Value.RenewInterval, time, CancellationToken.None);
            }
        }
    }

    /// <summary>Records a failure (its message redacted), counts it, and logs whether it will be tried again.</summary>
    public async Task<RunFinish> FailAsync(ClaimedJob job, long? runId, string model, RunOutcome.Failed failed, int? exitCode = null)
    {
        failed = failed with { Message = redactor.Redact(failed.Message) };
        var finish = await FinishAsync(job, runId, failed);
        if (finish != RunFinish.Lost)
        {
            metrics.Failed(model, time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(job.CreatedAt), finish == RunFinish.WillRetry);
        }
        switch (finish)
        {
            case RunFinish.WillRetry:
                LogWillRetry(logger, job.Id, job.Attempt, job.MaxAttempts, exitCode, failed.Message);
                break;
            case RunFinish.Failed:
                LogFailed(logger, job.Id, exitCode, failed.Message);
                break;
        }
        return finish;
    }

    private void Log(ClaimedJob job, RunFinish finish)
    {
        switch (finish)
        {
            case RunFinish.Canceled:
                LogCanceled(logger, job.Id);
                break;
            case RunFinish.Released:
                LogReleased(logger, job.Id);
                break;
            case RunFinish.Lost:
                LogLeaseLost(logger, job.Id);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: attempt {Attempt} of {MaxAttempts} failed (exit code {ExitCode}), will retry: {Error}")]
    private static partial void LogWillRetry(ILogger logger, long jobId, int attempt, int maxAttempts, int? exitCode, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed (exit code {ExitCode}): {Error}")]
    private static partial void LogFailed(ILogger logger, long jobId, int? exitCode, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} canceled by request; imagegen was stopped")]
    private static partial void LogCanceled(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} released back to the queue at shutdown")]
    private static partial void LogReleased(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: the claim was taken over by another worker; this worker stopped and wrote nothing")]
    private static partial void LogLeaseLost(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: recording the outcome failed ({Kind}); trying again")]
    private static partial void LogRecordRetry(ILogger logger, long jobId, StorageTroubleKind kind);
}
