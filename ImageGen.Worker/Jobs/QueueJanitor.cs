using ImageGen.Core;
using ImageGen.Core.Providers;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Core.Storage.Sql;
using ImageGen.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace ImageGen.Worker.Jobs;

/// <summary>
/// At start, masks this worker's provider keys in error messages stored earlier (<see cref="StoredSecretScrubber"/>).
/// Then every <see cref="WorkerOptions.LostJobSweepInterval"/>, on its own timer (never waiting for a free job slot):
/// settles jobs whose worker was lost (<see cref="IJobQueue.FailLostJobsAsync"/>), takes the queue snapshot behind the
/// gauges (<see cref="JobQueries.QueueSnapshotAsync"/>), and removes <c>tmp/job-…</c> folders whose job is no longer
/// running with that claim (<see cref="JobQueries.RunningClaimsAsync"/>: a killed worker's leftovers). Every replica runs
/// it: each statement is idempotent.
/// </summary>
public sealed partial class QueueJanitor(
    IJobQueue queue,
    JobQueries jobs,
    StoredSecretScrubber scrubber,
    DataRoot root,
    WorkerState state,
    QueueMetrics metrics,
    SecretRedactor redactor,
    TimeProvider time,
    IOptions<WorkerOptions> options,
    ILogger<QueueJanitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.ObserveWorker(() => state.QueueDepth, () => state.OldestQueuedAgeSeconds, () => state.RunningJobIds.Count);
        await ScrubStoredSecretsAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.LostJobSweepInterval, time);
        try
        {
            do
            {
                await SweepOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Once at start: masks this worker's provider keys in error messages stored before messages were redacted on the
    /// way in (or before the key was set), so no page or export shows one.
    /// </summary>
    private async Task ScrubStoredSecretsAsync(CancellationToken cancellationToken)
    {
        if (redactor.Secrets.Count == 0)
        {
            return;
        }
        try
        {
            if (await scrubber.ScrubAsync(redactor.Secrets, SecretRedactor.Mask, cancellationToken) is var changed and > 0)
            {
                LogScrubbed(logger, changed);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSweepFailed(logger, e);
        }
    }

    public async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var settled in await queue.FailLostJobsAsync(cancellationToken))
            {
                LogSettledLost(logger, settled);
            }
            var (depth, oldest) = await jobs.QueueSnapshotAsync(cancellationToken);
            state.QueueObserved(depth, oldest);
            // Folders first, claims second: a folder is made after its claim commits, so every folder listed here
            // belongs to a claim the read below sees (unless it has finished), and a job claimed in between is kept.
            var folders = Directory.Exists(root.TempDir) ? Directory.GetDirectories(root.TempDir, "job-*") : [];
            SweepTemporaryFolders(folders, await jobs.RunningClaimsAsync(cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSweepFailed(logger, e);
            var trouble = StorageTrouble.From(e);
            state.TroubleSeen($"The worker cannot sweep the queue: {trouble?.Cause ?? e.Message}.", trouble?.Cause);
        }
    }

    /// <summary>
    /// A job's folder is <c>tmp/job-&lt;id&gt;-&lt;first 8 of its claim token&gt;</c>, made after the claim: one whose job is
    /// not running under that claim belongs to nobody.
    /// </summary>
    private void SweepTemporaryFolders(string[] folders, IReadOnlyList<(long Id, string ClaimToken)> running)
    {
        var live = running.Select(r => $"job-{r.Id}-{r.ClaimToken[..Math.Min(8, r.ClaimToken.Length)]}").ToHashSet(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            if (live.Contains(Path.GetFileName(folder)))
            {
                continue;
            }
            try
            {
                Directory.Delete(folder, recursive: true);
                LogRemoved(logger, Path.GetFileName(folder));
            }
            catch (IOException e)
            {
                LogRemoveFailed(logger, e, folder);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} settled: its worker stopped renewing the lease (failed with no attempts left, or canceled as asked)")]
    private static partial void LogSettledLost(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Masked a provider key in {Count} stored error message(s)")]
    private static partial void LogScrubbed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping the queue failed; will try again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed the temporary folder {Folder}: its job is no longer running there")]
    private static partial void LogRemoved(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {Folder}")]
    private static partial void LogRemoveFailed(ILogger logger, Exception exception, string folder);
}
