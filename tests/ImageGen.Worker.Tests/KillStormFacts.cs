using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Dapper;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Worker.Tests;

/// <summary>
/// Three worker processes on one database and a slow paid provider, while workers are killed with SIGKILL and one is
/// frozen with SIGSTOP past its lease: every job succeeds exactly once, no job ever has two CLIs alive (seen both by
/// the provider, which counts calls in flight per job, and by sampling the process table), and afterwards no CLI
/// process, temporary folder, orphan file or unfinished run is left.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class KillStormFacts
{
    private const int Jobs = 10;

    [GeneratedRegex(@"tmp/job-(\d+)-")]
    private static partial Regex JobFolder();

    [Fact]
    public async Task KillAndFreezeStorm_EveryJobSucceedsOnce_NeverTwoClisForAJob_NothingLeftBehind()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var provider = await SlowProvider.StartAsync();
        provider.Delay = TimeSpan.FromSeconds(6); // longer than the lease: a CLI that outlived its claim would overlap the next
        await using var host = new WorkerTestHost(); // its database and helpers; the workers are separate processes
        await ImageGen.Core.Storage.Migrator.MigrateAsync(host.Database);
        var settings = new Dictionary<string, string>
        {
            ["Queue:LeaseDuration"] = "00:00:04", // heartbeat timeout 2 s: room for a CLI that starts slowly on a loaded machine
            ["Queue:RetryBaseDelay"] = "00:00:00.2",
            ["Worker:RenewInterval"] = "00:00:00.3",
            ["Worker:Concurrency"] = "4", // free slots everywhere, so a lapsed lease is reclaimed at once
            ["Worker:MaxPollInterval"] = "00:00:00.2",
            ["Worker:LostJobSweepInterval"] = "00:00:00.5",
            ["IMAGEGEN_COMPAT_BASE_URL"] = provider.Url,
        };
        var jobIds = new List<long>();
        for (var i = 0; i < Jobs; i++)
        {
            jobIds.Add(await host.EnqueueAsync(new JobSpec { Model = "compat/default", Prompt = $"storm job {i}", Count = 1 }, maxAttempts: 25));
        }

        // Sample the process table: the CLIs of this data folder, by the job named in their --out folder.
        var twoAtOnce = new ConcurrentBag<string>();
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                foreach (var group in CliProcesses(host.Root.Path).GroupBy(p => p.JobId).Where(g => g.Count() > 1))
                {
                    twoAtOnce.Add($"job {group.Key}: pids {string.Join(", ", group.Select(p => p.Pid))}");
                }
                await Task.Delay(25, CancellationToken.None);
            }
        }, CancellationToken.None);

        var workers = new ServiceProcess[3];
        try
        {
            for (var w = 0; w < workers.Length; w++)
            {
                workers[w] = ServiceProcess.StartWorker(host.Root.Path, settings);
            }
            // Freeze one worker for twice its lease right after its CLI has started; kill the others now and then.
            await Eventually.TrueAsync(() => CliProcesses(host.Root.Path).Any(p => p.ParentPid == workers[0].Id), TimeSpan.FromSeconds(60), "worker 0 to start a CLI");
            workers[0].Freeze();
            var storm = DateTime.UtcNow;
            var round = 0;
            while (DateTime.UtcNow - storm < TimeSpan.FromSeconds(14))
            {
                await Task.Delay(2_300, cancellationToken);
                if (round++ == 2)
                {
                    workers[0].Thaw(); // its claims were taken over; whatever it writes now is fenced out
                }
                var victim = 1 + round % 2;
                workers[victim].KillHard();
                workers[victim].Dispose();
                workers[victim] = ServiceProcess.StartWorker(host.Root.Path, settings);
            }

            foreach (var id in jobIds)
            {
                await host.WaitForStatusAsync(id, JobStatus.Succeeded, TimeSpan.FromSeconds(120));
            }
            // The janitor's sweeps remove what the killed workers left in tmp/.
            await Eventually.TrueAsync(() => !Directory.EnumerateDirectories(host.Root.TempDir, "job-*").Any(), TimeSpan.FromSeconds(30), "tmp/ to be empty");
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker?.Dispose();
            }
            await stopSampling.CancelAsync();
            await sampler;
        }

        Assert.True(twoAtOnce.IsEmpty, "two CLIs alive for one job: " + string.Join("; ", twoAtOnce.Distinct()));
        Assert.Equal(1, provider.MaxConcurrentForOnePrompt);
        Assert.True(provider.Aborted > 0, "no provider call was cut off, so the storm hit no running CLI and proves little");
        await Eventually.TrueAsync(() => !CliProcesses(host.Root.Path).Any(), TimeSpan.FromSeconds(10), "every CLI to be gone");

        var runs = (await host.ReadAsync(c => c.QueryAsync<(long JobId, string Status)>("SELECT job_id, status FROM runs"))).ToList();
        Assert.DoesNotContain(runs, r => r.Status == RunStatus.Running);
        Assert.All(jobIds, id => Assert.Single(runs, r => r.JobId == id && r.Status == RunStatus.Succeeded));
        var images = (await host.ReadAsync(c => c.QueryAsync<(string Path, string Thumbnail, string? Original)>("SELECT path, thumbnail_path, original_path FROM run_images"))).ToList();
        Assert.Equal(Jobs, images.Count);
        var recorded = images.SelectMany(i => new[] { i.Path, i.Thumbnail, i.Original }).OfType<string>().ToHashSet();
        foreach (var file in host.FilesUnder("images"))
        {
            var relative = host.Root.ToRelative(file);
            // Every file is a recorded image, thumbnail or provider file, or the sidecar of a folder that holds one.
            Assert.True(recorded.Contains(relative)
                || (Path.GetFileName(file) == GenerateManifest.SidecarFileName && recorded.Any(r => r.StartsWith(Path.GetDirectoryName(relative)! + "/", StringComparison.Ordinal))),
                $"orphan file {relative}");
        }
    }

    /// <summary>Live (not zombie) imagegen processes whose command line names this data folder, with their job and parent.</summary>
    private static IEnumerable<(int Pid, long JobId, int ParentPid)> CliProcesses(string dataDirectory)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            string commandLine;
            int parent;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            // The published CLI (cli/imagegen, Native AOT or ReadyToRun), or a .dll run by dotnet.
            if (!(commandLine.Contains("/cli/imagegen ", StringComparison.Ordinal) || commandLine.Contains("imagegen.dll", StringComparison.Ordinal))
                || !commandLine.Contains(dataDirectory, StringComparison.Ordinal)
                || JobFolder().Match(commandLine) is not { Success: true } match || !FakeCli.IsAlive(pid))
            {
                continue;
            }
            yield return (pid, long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), parent);
        }
    }
}
