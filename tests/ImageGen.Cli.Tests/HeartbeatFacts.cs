using CliWrap;
using CliWrap.Buffered;
using ImageGen.Core.Generation;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Tests;

/// <summary>
/// A CLI started by a worker ends itself when the worker stops sending heartbeats on its standard input (frozen, or
/// unable to renew the lease) or dies (end of input): it never outlives its worker, and a job never has two CLIs.
/// </summary>
public sealed class HeartbeatFacts
{
    private static object OneImage => new { data = new[] { new { b64_json = Convert.ToBase64String(FakeProvider.Png) } } };

    private static Task<BufferedCommandResult> GenerateAsync(FakeProvider provider, TempDirectory dir, string timeout, PipeSource stdin, CancellationToken cancellationToken) =>
        CliWrap.Cli.Wrap(RepoPaths.Cli)
            .WithArguments(["generate", "--prompt", "a cup", "--model", "compat/default", "--out", dir.Path, "--json"])
            .WithEnvironmentVariables(new Dictionary<string, string?>
            {
                ["IMAGEGEN_COMPAT_BASE_URL"] = provider.Url,
                [CliHeartbeat.TimeoutVariable] = timeout,
            })
            .WithStandardInputPipe(stdin)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);

    /// <summary>Standard input that stays open and says nothing: a frozen worker.</summary>
    private static PipeSource Silent => PipeSource.Create(async (_, cancellationToken) => await Task.Delay(Timeout.Infinite, cancellationToken));

    [Fact]
    public async Task NoHeartbeatWithinTheTimeout_TheCliStopsItself_AndDropsTheProviderCall()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Delayed(TimeSpan.FromMinutes(2), FakeProvider.Json(OneImage)));
        using var dir = new TempDirectory("heartbeat");
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // the test's own bound, far above the 1 s asked for

        var result = await GenerateAsync(provider, dir, "1", Silent, guard.Token);

        Assert.Equal(ExitCodes.WorkerGone, result.ExitCode);
        Assert.Contains("imagegen: stopped: no heartbeat from its worker for 1 s", result.StandardError, StringComparison.Ordinal);
        Assert.Single(provider.Requests); // it had called the provider, and did not wait for the answer
        Assert.Empty(Directory.EnumerateFiles(dir.Path));
    }

    [Fact]
    public async Task InputClosed_TheWorkerIsGone_TheCliStopsAtOnce()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Delayed(TimeSpan.FromMinutes(2), FakeProvider.Json(OneImage)));
        using var dir = new TempDirectory("heartbeat");
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // A long timeout: only end of input can stop it this soon.
        var result = await GenerateAsync(provider, dir, "600", PipeSource.Null, guard.Token);

        Assert.Equal(ExitCodes.WorkerGone, result.ExitCode);
        Assert.Contains("imagegen: stopped: its worker is gone", result.StandardError, StringComparison.Ordinal);
        Assert.True(result.RunTime < TimeSpan.FromSeconds(30), $"took {result.RunTime}");
    }

    [Fact]
    public async Task AClaimOlderThanTheTimeout_StopsTheCliAsSoonAsItStarts_HoweverLateItStarted()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Delayed(TimeSpan.FromMinutes(2), FakeProvider.Json(OneImage)));
        using var dir = new TempDirectory("heartbeat");
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // The worker claimed 10 s ago and has not renewed since: the 5 s deadline has passed before the CLI even ran.
        var claimed = (Environment.TickCount64 - 10_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var oldClaimThenSilence = PipeSource.Create(async (stdin, cancellationToken) =>
        {
            await stdin.WriteAsync(System.Text.Encoding.ASCII.GetBytes(claimed + "\n"), cancellationToken);
            await stdin.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        });
        var result = await CliWrap.Cli.Wrap(RepoPaths.Cli)
            .WithArguments(["generate", "--prompt", "a cup", "--model", "compat/default", "--out", dir.Path, "--json"])
            .WithEnvironmentVariables(new Dictionary<string, string?>
            {
                ["IMAGEGEN_COMPAT_BASE_URL"] = provider.Url,
                [CliHeartbeat.TimeoutVariable] = "5",
            })
            .WithStandardInputPipe(oldClaimThenSilence)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(guard.Token);

        Assert.Equal(ExitCodes.WorkerGone, result.ExitCode);
        Assert.Contains("no heartbeat from its worker for 5 s", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(provider.Requests); // stopped before it called anyone
    }

    [Fact]
    public async Task RegularHeartbeats_KeepASlowCallGoing_PastTheTimeout()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Delayed(TimeSpan.FromSeconds(2.5), FakeProvider.Json(OneImage)));
        using var dir = new TempDirectory("heartbeat");
        var beats = PipeSource.Create(async (stdin, cancellationToken) =>
        {
            try
            {
                while (true)
                {
                    await stdin.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"{Environment.TickCount64}\n"), cancellationToken);
                    await stdin.FlushAsync(cancellationToken);
                    await Task.Delay(200, cancellationToken);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
            }
        });

        var result = await GenerateAsync(provider, dir, "1", beats, TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Single(GenerateManifest.FromJson(result.StandardOutput).Images);
    }
}
