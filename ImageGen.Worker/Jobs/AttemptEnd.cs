using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Worker.Jobs;

/// <summary>
/// How one attempt ends, decided in one place from what the supervisor saw and the CLI reported (its typed
/// <see cref="CliReport"/>). Nothing here does I/O: <see cref="GenerateJobRunner"/> carries the decision out, and each
/// branch is tested without a process (AttemptEndFacts).
/// </summary>
public abstract record AttemptEnd
{
    private AttemptEnd()
    {
    }

    /// <summary>Another worker holds the claim now: write nothing.</summary>
    public sealed record LeaseLost : AttemptEnd;

    /// <summary>Stopped on purpose (a cancel, or the worker's shutdown): record it as it is.</summary>
    public sealed record Stopped(RunOutcome Outcome) : AttemptEnd;

    /// <summary>No images to keep: record the failure (retried when transient and attempts remain).</summary>
    /// <param name="ExitCode">The CLI's exit code, when it exited by itself.</param>
    public sealed record Failed(RunOutcome.Failed Failure, int? ExitCode = null) : AttemptEnd;

    /// <summary>
    /// The CLI listed images: take them in. With a <paramref name="Shortfall"/> the provider stopped part-way: the images are
    /// kept with the run while the job fails with the provider's reason (and a retry asks for the rest).
    /// </summary>
    public sealed record Ingest(GenerateManifest Manifest, RunOutcome.Failed? Shortfall) : AttemptEnd;

    public static AttemptEnd Decide(SupervisedRun run, TimeSpan jobTimeout)
    {
        switch (run.Stop)
        {
            case StopReason.LeaseLost:
                return new LeaseLost();
            case StopReason.CancelRequested:
                return new Stopped(new RunOutcome.Canceled("Canceled by request while running."));
            case StopReason.Shutdown:
                return new Stopped(new RunOutcome.Released("Stopped at worker shutdown; the job went back to the queue."));
            case StopReason.TimedOut:
                return new Failed(new RunOutcome.Failed($"imagegen did not finish within {jobTimeout.TotalSeconds:0} s and was stopped.", Transient: true));
        }
        var outcome = run.Outcome ?? throw new ArgumentException("A run that was not stopped has the CLI's outcome.", nameof(run));
        var report = run.Report ?? throw new ArgumentException("A run that was not stopped has the CLI's report (read once by the supervisor).", nameof(run));
        // Usage and permanent errors will fail again; anything else (transient, a crash, a signal) is worth another try.
        var transient = outcome.ExitCode is not (ExitCodes.Usage or ExitCodes.Permanent);
        if (outcome.ExitCode == ExitCodes.Success)
        {
            return report.HasImages
                ? new Ingest(report.Manifest!, null)
                : new Failed(new RunOutcome.Failed(
                    $"imagegen's output could not be stored: {report.Unreadable ?? "the manifest lists no images."}", Transient: true), outcome.ExitCode);
        }
        if (report.HasImages)
        {
            return new Ingest(report.Manifest!, new RunOutcome.Failed(
                run.Explanation ?? report.Manifest!.Error?.Message ?? "The provider stopped part-way.", transient, run.RetryAfter));
        }
        return new Failed(new RunOutcome.Failed(run.Explanation ?? $"imagegen exited with code {outcome.ExitCode}.", transient, run.RetryAfter), outcome.ExitCode);
    }
}
