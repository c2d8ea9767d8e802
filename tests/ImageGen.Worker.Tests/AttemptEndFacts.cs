using ImageGen.Core.Generation;
using ImageGen.Worker.Cli;
using ImageGen.Worker.Jobs;
using ImageGen.Core.Spec;

namespace ImageGen.Worker.Tests;

/// <summary>How an attempt ends, branch by branch, from a supervised run and the CLI's report: no process, no database.</summary>
public sealed class AttemptEndFacts
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static readonly GenerateManifest TwoImages = new()
    {
        Model = "openai/gpt-image-2", Prompt = "a cup",
        Settings = new ManifestSettings(64, 64, "1:1", "png", 3, 1),
        Images = [new ManifestImage("01-seed1.png", 64, 64, "png", 10, 1), new ManifestImage("02-seed2.png", 64, 64, "png", 10, 2)],
    };

    private static SupervisedRun Exited(int exitCode, string stdout, string? explanation = null, TimeSpan? retryAfter = null) =>
        new(new CliOutcome(exitCode, stdout, ""), StopReason.None, TimeSpan.FromSeconds(1), explanation, retryAfter) { Report = CliReport.Parse(stdout) };

    private static SupervisedRun Stopped(StopReason reason) => new(null, reason, TimeSpan.FromSeconds(1), null);

    [Fact]
    public void ALostLease_WritesNothing() =>
        Assert.IsType<AttemptEnd.LeaseLost>(AttemptEnd.Decide(Stopped(StopReason.LeaseLost), Timeout));

    [Fact]
    public void ACancel_IsRecordedAsCanceled()
    {
        var end = Assert.IsType<AttemptEnd.Stopped>(AttemptEnd.Decide(Stopped(StopReason.CancelRequested), Timeout));
        Assert.Equal("Canceled by request while running.", Assert.IsType<RunOutcome.Canceled>(end.Outcome).Reason);
    }

    [Fact]
    public void AShutdown_GivesTheJobBack()
    {
        var end = Assert.IsType<AttemptEnd.Stopped>(AttemptEnd.Decide(Stopped(StopReason.Shutdown), Timeout));
        Assert.IsType<RunOutcome.Released>(end.Outcome);
    }

    [Fact]
    public void ATimeout_FailsTransiently_NamingTheTimeout()
    {
        var end = Assert.IsType<AttemptEnd.Failed>(AttemptEnd.Decide(Stopped(StopReason.TimedOut), Timeout));
        Assert.Equal(("imagegen did not finish within 90 s and was stopped.", true), (end.Failure.Message, end.Failure.Transient));
        Assert.Null(end.ExitCode);
    }

    [Fact]
    public void Success_WithImages_IsTakenIn_WithNoShortfall()
    {
        var end = Assert.IsType<AttemptEnd.Ingest>(AttemptEnd.Decide(Exited(ExitCodes.Success, TwoImages.ToJson()), Timeout));
        Assert.Equal(2, end.Manifest.Images.Count);
        Assert.Null(end.Shortfall);
    }

    [Theory]
    [InlineData("", "imagegen printed nothing on stdout.")]
    [InlineData("[1, 2]", "imagegen's output is not a JSON object.")]
    [InlineData("{\"model\": \"x\"}", "imagegen's output is neither a manifest nor an error.")]
    public void Success_WithoutAReadableManifest_FailsTransiently_SayingWhy(string stdout, string why)
    {
        var end = Assert.IsType<AttemptEnd.Failed>(AttemptEnd.Decide(Exited(ExitCodes.Success, stdout), Timeout));
        Assert.True(end.Failure.Transient);
        Assert.Equal($"imagegen's output could not be stored: {why}", end.Failure.Message);
    }

    [Fact]
    public void Success_WithAManifestListingNoImages_FailsTransiently()
    {
        var end = Assert.IsType<AttemptEnd.Failed>(AttemptEnd.Decide(Exited(ExitCodes.Success, (TwoImages with { Images = [] }).ToJson()), Timeout));
        Assert.Equal(("imagegen's output could not be stored: the manifest lists no images.", true), (end.Failure.Message, end.Failure.Transient));
    }

    [Fact]
    public void Success_WithOutputThatIsNotJson_SaysSo()
    {
        var end = Assert.IsType<AttemptEnd.Failed>(AttemptEnd.Decide(Exited(ExitCodes.Success, "{not json"), Timeout));
        Assert.StartsWith("imagegen's output could not be stored: imagegen's output is not valid JSON", end.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailureThatKeptImages_IsTakenIn_WithTheProvidersReason_AndTheRetryHint()
    {
        var manifest = TwoImages with { Error = new CliError("transient", "The provider answered 503 after 2 of 3 images.", 7) };
        var run = Exited(ExitCodes.Transient, manifest.ToJson(), explanation: "The provider answered 503 after 2 of 3 images.", retryAfter: TimeSpan.FromSeconds(7));

        var end = Assert.IsType<AttemptEnd.Ingest>(AttemptEnd.Decide(run, Timeout));
        Assert.Equal(2, end.Manifest.Images.Count);
        Assert.Equal(("The provider answered 503 after 2 of 3 images.", true, TimeSpan.FromSeconds(7)),
            (end.Shortfall!.Message, end.Shortfall.Transient, end.Shortfall.RetryAfter));
    }

    [Fact]
    public void APermanentFailureThatKeptImages_KeepsThem_AndIsNotRetried()
    {
        var manifest = TwoImages with { Error = new CliError("permanent", "Refused by the safety system.") };
        var end = Assert.IsType<AttemptEnd.Ingest>(AttemptEnd.Decide(Exited(ExitCodes.Permanent, manifest.ToJson(), "Refused by the safety system."), Timeout));
        Assert.False(end.Shortfall!.Transient);
    }

    [Theory]
    [InlineData(ExitCodes.Usage, false)]
    [InlineData(ExitCodes.Permanent, false)]
    [InlineData(ExitCodes.Transient, true)]
    [InlineData(ExitCodes.WorkerGone, true)]
    [InlineData(137, true)] // killed by SIGKILL
    public void AFailureWithoutImages_IsRetriedOnlyWhenItMaySucceed(int exitCode, bool transient)
    {
        var stdout = new CliError("x", "what went wrong").ToJson();
        var end = Assert.IsType<AttemptEnd.Failed>(AttemptEnd.Decide(Exited(exitCode, stdout, "what went wrong"), Timeout));
        Assert.Equal(("what went wrong", transient, exitCode), (end.Failure.Message, end.Failure.Transient, end.ExitCode));
    }
}
