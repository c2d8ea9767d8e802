using ImageGen.Core.Queue;
using ImageGen.Core.Telemetry;
using ImageGen.Core.Storage;
using Microsoft.Extensions.Options;

namespace ImageGen.Worker.Jobs;

/// <summary>
/// Claims due jobs while a slot is free and hands each to <see cref="GenerateJobRunner"/> (the sweeps run on their
/// own timer in <see cref="QueueJanitor"/>, so they go on while every slot is busy). When idle it waits
/// 100 ms, doubling up to 2 s, unless <see cref="WakeSignal"/> fires. On shutdown it claims nothing new, gives
/// running jobs <see cref="WorkerOptions.ShutdownGrace"/> to finish, then stops them and puts them back in the queue.
/// </summary>
public sealed partial class JobPoller(
    IJobQueue queue,
    GenerateJobRunner runner,
    WakeSignal wake,
    WorkerState state,
    TimeProvider time,
    IOptions<WorkerOptions> options,
    ILogger<JobPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var slots = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
        using var release = new CancellationTokenSource();
        var running = new List<Task>();
        var idleDelay = settings.MinPollInterval;
        LogStarted(logger, settings.WorkerId, settings.Concurrency);

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                ClaimedJob? job = null;
                DateTimeOffset claimStarted = default, claimEnded = default;
                var claimTick = 0L;
                try
                {
                    claimTick = Environment.TickCount64;
                    claimStarted = time.GetUtcNow();
                    job = await queue.ClaimAsync(settings.WorkerId, stoppingToken);
                    claimEnded = time.GetUtcNow();
                    state.Polled();
                    state.TroubleCleared();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A full disk, a busy database, anything: the worker says so on /status (the dashboard and the job
                    // pages show it) and keeps trying; it never stops polling over one failure.
                    LogPollFailed(logger, e);
                    var trouble = StorageTrouble.From(e);
                    state.TroubleSeen($"The worker cannot claim jobs: {trouble?.Cause ?? e.Message}.", trouble?.Cause);
                }

                if (job is null)
                {
                    slots.Release();
                    var woken = await wake.WaitAsync(idleDelay, stoppingToken);
                    idleDelay = woken ? settings.MinPollInterval : TimeSpan.FromTicks(Math.Min(idleDelay.Ticks * 2, settings.MaxPollInterval.Ticks));
                    continue;
                }

                idleDelay = settings.MinPollInterval;
                LogClaimed(logger, job.Id, job.Attempt, job.MaxAttempts);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunAndFreeSlotAsync(job, new ClaimTiming(claimStarted, claimEnded, claimTick), slots, release.Token));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        var remaining = Task.WhenAll(running);
        if (!remaining.IsCompleted)
        {
            LogDraining(logger, running.Count(t => !t.IsCompleted), settings.ShutdownGrace.TotalSeconds);
            if (await Task.WhenAny(remaining, Task.Delay(settings.ShutdownGrace, CancellationToken.None)) != remaining)
            {
                await release.CancelAsync();
            }
            await remaining;
        }
    }

    private async Task RunAndFreeSlotAsync(ClaimedJob job, ClaimTiming claim, SemaphoreSlim slots, CancellationToken releaseToken)
    {
        try
        {
            // Off the polling loop's context, so a slow job never delays the next claim.
            await Task.Run(() => runner.RunAsync(job, claim, releaseToken), CancellationToken.None);
        }
        finally
        {
            slots.Release();
            // A slot just freed: look for the next job now rather than after the idle wait.
            wake.Wake();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} polling with {Concurrency} slot(s)")]
    private static partial void LogStarted(ILogger logger, string workerId, int concurrency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} claimed (attempt {Attempt} of {MaxAttempts})")]
    private static partial void LogClaimed(ILogger logger, long jobId, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling the queue failed; will try again")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: waiting up to {GraceSeconds} s for {Count} running job(s)")]
    private static partial void LogDraining(ILogger logger, int count, double graceSeconds);
}
