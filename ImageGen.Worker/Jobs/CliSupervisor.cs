using System.Diagnostics;
using System.Globalization;
using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Core.Telemetry;
using ImageGen.Worker.Cli;
using Microsoft.Extensions.Options;
using ImageGen.Core.Spec;

namespace ImageGen.Worker.Jobs;

/// <summary>Why the supervisor stopped the CLI before it ended by itself. The first reason wins.</summary>
public enum StopReason
{
    None,
    CancelRequested,
    LeaseLost,
    TimedOut,
    Shutdown,
}

/// <summary>How one supervised CLI run ended.</summary>
/// <param name="Outcome">The CLI's exit and output; null when it was stopped (<paramref name="Stop"/> says why).</param>
/// <param name="Report">What the CLI printed on stdout, read once (its manifest or its error); null when it was stopped.</param>
/// <param name="Explanation">When the CLI failed: why, in words, with secrets masked.</param>
/// <param name="RetryAfter">When the CLI said how long to wait before trying again (a provider's rate limit).</param>
public sealed record SupervisedRun(CliOutcome? Outcome, StopReason Stop, TimeSpan Ran, string? Explanation, TimeSpan? RetryAfter = null)
{
    public CliReport? Report { get; init; }
}

/// <summary>
/// Runs <c>imagegen generate --spec</c> for one claimed job and keeps it honest: builds its arguments and environment, renews the
/// job's lease on a timer (each renewal a heartbeat on the CLI's standard input), and stops it on the first of a cancel
/// request, a lost lease, the job timeout or the worker's shutdown. Says why a failed CLI failed.
/// </summary>
public sealed partial class CliSupervisor(
    IJobQueue queue,
    CliInvoker cli,
    WorkerState state,
    IConfiguration configuration,
    TimeProvider time,
    IOptions<WorkerOptions> options,
    IOptions<QueueOptions> queueOptions,
    SecretRedactor redactor,
    ILogger<CliSupervisor> logger)
{
    /// <summary>OTLP settings the worker passes on to the CLI so its spans reach the same collector.</summary>
    private static readonly string[] ForwardedOtlpSettings =
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_BSP_SCHEDULE_DELAY",
    ];

    /// <summary>
    /// How long the CLI waits for a heartbeat before it stops itself: half the lease, so a CLI whose worker froze or
    /// could not renew has ended well before another worker may claim the job (docs/QUEUE.md, "One CLI per job").
    /// </summary>
    public TimeSpan HeartbeatTimeout => queueOptions.Value.LeaseDuration / 2;

    /// <summary>What the renewals of one attempt have seen.</summary>
    private sealed class Renewals
    {
        /// <summary>Why a renewal last failed or dragged, if one did: the reason the CLI may have stopped itself.</summary>
        public string? Trouble;

        /// <summary>When the lease was last renewed (or claimed).</summary>
        public DateTimeOffset LastRenewedAt;
    }

    /// <param name="spec">The job's spec (its count sets the job timeout).</param>
    /// <param name="specFile">The attempt's spec, written for the CLI: the rest of the images, inputs at their local paths.</param>
    /// <param name="claim">When the claim ran: the lease, and the CLI's first heartbeat, count from its start.</param>
    /// <param name="releaseToken">Fires when the worker is shutting down and the job must be given back.</param>
    public async Task<SupervisedRun> RunAsync(
        ClaimedJob job, JobSpec spec, string specFile, string outputFolder, ClaimTiming claim, CancellationToken releaseToken)
    {
        var stopReason = StopReason.None;
        void StopFor(StopReason reason)
        {
            if (stopReason == StopReason.None)
            {
                stopReason = reason;
            }
        }
        var renewals = new Renewals { LastRenewedAt = claim.Ended };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(releaseToken);
        stop.CancelAfter(JobTimeoutFor(spec));
        using var releaseRegistration = releaseToken.Register(() => StopFor(StopReason.Shutdown));
        using var renewalDone = new CancellationTokenSource();
        var heartbeat = new HeartbeatPipe();
        heartbeat.Beat(claim.StartedTick > 0 ? claim.StartedTick : Environment.TickCount64); // the claim was the last renewal so far
        var renewal = RenewUntilDoneAsync(job, renewals, heartbeat, reason => { StopFor(reason); stop.Cancel(); }, renewalDone.Token);

        var started = time.GetUtcNow();
        CliOutcome? outcome = null;
        var runSpan = ImageGenTelemetry.Source.StartActivity("job.run"); // ended in the finally below
        try
        {
            outcome = await cli.RunAsync(BuildArguments(specFile, outputFolder), CliEnvironment(runSpan), heartbeat, stop.Token);
            runSpan?.SetTag("process.exit.code", outcome.ExitCode);
        }
        catch (OperationCanceledException)
        {
            StopFor(StopReason.TimedOut);
        }
        finally
        {
            await renewalDone.CancelAsync();
            await renewal;
            runSpan?.Dispose();
        }
        var ran = time.GetUtcNow() - started;
        if (stopReason != StopReason.None)
        {
            return new SupervisedRun(null, stopReason, ran, null);
        }
        // The one place the CLI's stdout is parsed: everything after reads the typed report.
        var report = CliReport.Parse(outcome!.StandardOutput);
        if (outcome.ExitCode == ExitCodes.Success)
        {
            return new SupervisedRun(outcome, StopReason.None, ran, null) { Report = report };
        }
        return new SupervisedRun(outcome, StopReason.None, ran, redactor.Redact(ExplainExit(outcome, report.Error, renewals)),
            report.Error?.RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null) { Report = report };
    }

    /// <summary>
    /// The configured job timeout, else one provider request timeout per image plus a minute (<see cref="WorkerOptions.JobTimeout"/>).
    /// </summary>
    public TimeSpan JobTimeoutFor(JobSpec spec)
    {
        if (options.Value.JobTimeout is { } configured)
        {
            return configured;
        }
        TimeSpan request;
        try
        {
            request = ProviderSettings.FromEnvironment(name => configuration[name]).RequestTimeout;
        }
        catch (ImageGenException)
        {
            // A bad setting fails the CLI with its own message; the job still gets the default's time.
            request = ProviderSettings.DefaultRequestTimeout;
        }
        return request * Math.Max(1, spec.Count) + TimeSpan.FromMinutes(1);
    }

    /// <summary>The CLI's arguments: everything about the job is in the spec file; the flags say where to write and how to answer.</summary>
    internal static List<string> BuildArguments(string specFile, string outputFolder) =>
        ["generate", "--spec", specFile, "--out", outputFolder, "--json"];

    private async Task RenewUntilDoneAsync(ClaimedJob job, Renewals renewals, HeartbeatPipe heartbeat, Action<StopReason> stop, CancellationToken done)
    {
        using var timer = new PeriodicTimer(options.Value.RenewInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                RenewOutcome outcome;
                var renewStarted = time.GetTimestamp();
                var renewTick = Environment.TickCount64;
                try
                {
                    outcome = await queue.RenewAsync(job, done);
                    // Renewals take milliseconds; one that waited longer than a renewal interval was held up by the
                    // database even though it went through in the end, and that is why the CLI may have stopped itself.
                    if (time.GetElapsedTime(renewStarted) is var waited && waited > options.Value.RenewInterval)
                    {
                        renewals.Trouble = $"the database was busy: a renewal waited {waited.TotalSeconds:0.#} s for it";
                    }
                }
                catch (StorageException e)
                {
                    // A busy or full database is not a lost lease: try again next tick; the lease has room for several
                    // misses. No heartbeat goes to the CLI meanwhile: if this lasts half the lease, the CLI stops itself.
                    renewals.Trouble = e.Trouble.Cause;
                    LogRenewFailed(logger, e, job.Id);
                    continue;
                }
                if (outcome == RenewOutcome.Lost)
                {
                    stop(StopReason.LeaseLost);
                    return;
                }
                if (outcome == RenewOutcome.CancelRequested)
                {
                    stop(StopReason.CancelRequested);
                    return;
                }
                renewals.LastRenewedAt = time.GetUtcNow();
                heartbeat.Beat(renewTick);
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The CLI's environment on top of the worker's: the run span as its parent (TRACEPARENT), its own service
    /// name (not the worker's, nor the worker's instance id), its heartbeat timeout, and the OTLP and provider settings
    /// the worker was given (from its environment or any other configuration source).
    /// </summary>
    private Dictionary<string, string?> CliEnvironment(Activity? runSpan)
    {
        var environment = new Dictionary<string, string?>
        {
            [ImageGenTelemetry.TraceParentVariable] = runSpan?.Id,
            ["OTEL_SERVICE_NAME"] = "imagegen-cli",
            ["OTEL_RESOURCE_ATTRIBUTES"] = null,
            [CliHeartbeat.TimeoutVariable] = HeartbeatTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        };
        foreach (var key in ForwardedOtlpSettings.Concat(ProviderSettings.Variables))
        {
            if (configuration[key] is { Length: > 0 } value)
            {
                environment[key] = value;
            }
        }
        return environment;
    }

    /// <summary>
    /// Why the CLI failed, in words: its own JSON error; else what stopped it (its heartbeat ran out, a signal); else
    /// its last <c>imagegen: error:</c> line; never a progress line or a stack trace.
    /// </summary>
    private string ExplainExit(CliOutcome outcome, CliError? error, Renewals renewals)
    {
        if (error is not null)
        {
            return error.Message;
        }
        if (outcome.ExitCode == ExitCodes.WorkerGone)
        {
            // A renewal still waiting on a busy database has not failed yet: the worker's own trouble says why.
            var cause = renewals.Trouble ?? state.StorageTroubleSince(renewals.LastRenewedAt) ?? "the worker was stalled";
            return $"imagegen stopped itself: this worker could not renew the job's lease for {HeartbeatTimeout.TotalSeconds:0.#} s ({cause}).";
        }
        if (outcome.ExitCode is > 128 and < 160)
        {
            var signal = outcome.ExitCode - 128;
            return $"imagegen was killed by signal {SignalName(signal)} ({signal}) before it finished"
                + (signal == 9 ? ", by another program or by the system when memory ran out." : ".");
        }
        var errorLine = outcome.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => l.StartsWith("imagegen: error: ", StringComparison.Ordinal));
        return errorLine?["imagegen: error: ".Length..] ?? $"imagegen exited with code {outcome.ExitCode} without saying why.";
    }

    private static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP", 2 => "SIGINT", 3 => "SIGQUIT", 6 => "SIGABRT", 9 => "SIGKILL", 11 => "SIGSEGV", 13 => "SIGPIPE", 15 => "SIGTERM",
        _ => $"SIG{signal}",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: renewing the lease failed; retrying")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, long jobId);
}
