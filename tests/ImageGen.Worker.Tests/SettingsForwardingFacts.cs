using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Core.Queue;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Worker.Tests;

/// <summary>
/// The worker hands the CLI every provider and CLI setting it was given, from any configuration source (the AppHost
/// gives them as environment variables; here they are plain configuration, which the CLI would never see otherwise).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SettingsForwardingFacts
{
    [Fact]
    public async Task EverySettingTheWorkerIsGiven_ReachesTheCliEnvironment()
    {
        await using var host = new WorkerTestHost();
        Directory.CreateDirectory(host.ScratchDirectory);
        var dump = Path.Combine(host.ScratchDirectory, "cli-environment");
        host.Settings["Worker:CliPath"] = FakeCli.DumpingEnvironment(host.ScratchDirectory, dump, ExitCodes.Permanent).Path;
        var given = ProviderSettingTable.All.ToDictionary(s => s.Variable, s => ReadmeSettings.SampleValue(s.Variable, s.Check));
        foreach (var (variable, value) in given)
        {
            Assert.Null(Environment.GetEnvironmentVariable(variable)); // else the CLI could have inherited it from the test run
            host.Settings[variable] = value;
        }
        await host.StartAsync();

        var jobId = await host.EnqueueAsync(maxAttempts: 1);
        await host.WaitForStatusAsync(jobId, JobStatus.Failed, TimeSpan.FromSeconds(60));

        var environment = File.ReadAllText(dump).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2)).Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        var missing = given.Where(setting => environment.GetValueOrDefault(setting.Key) != setting.Value).Select(setting => setting.Key).ToList();
        Assert.True(missing.Count == 0, $"not handed to the CLI: {string.Join(", ", missing)}");
    }
}
