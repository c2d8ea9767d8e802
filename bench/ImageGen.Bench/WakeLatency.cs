using System.Diagnostics;
using System.Globalization;
using ImageGen.Core;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using Microsoft.Extensions.Options;
using ImageGen.Core.Providers;
using ImageGen.Core.Spec;

namespace ImageGen.Bench;

/// <summary>
/// Time from enqueue to the CLI process starting, with an idle worker (its poll interval backed off to the 2 s
/// maximum), with and without the web app's POST /wake. The worker is the real one, in its own process; the
/// "CLI" is a script that records the moment it starts and exits.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class WakeLatency
{
    public static async Task<int> RunAsync(string[] args)
    {
        var samples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var dataDirectory = BenchPaths.NewDataDirectory("wake");
        var stamp = Path.Combine(dataDirectory, "cli-started");
        var script = Path.Combine(dataDirectory, "fake-cli.sh");
        await File.WriteAllTextAsync(script, $"#!/usr/bin/env bash\ndate +%s%N > '{stamp}'\nexit 3\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        using var database = new ImageGen.Core.Storage.Sqlite.SqliteDatabase(new DataRoot(dataDirectory));
        await Migrator.MigrateAsync(database);
        var queue = StorageServices.CreateQueue(database, new ImageGen.Core.Storage.Sql.SqlRunCloser(database, new ImageGen.Core.Files.LocalImageStore(database.Root)), TimeProvider.System, Options.Create(new QueueOptions()));
        var jobs = new JobQueries(database);
        var port = BenchProcess.FreePort();
        using var worker = StartWorker(dataDirectory, script, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Add(WorkerAccess.HeaderName, WorkerAccess.NoKey);
        await BenchProcess.WaitUpAsync($"http://127.0.0.1:{port}/health");

        var payload = new JobSpec { Model = OfflineProceduralModel.Id, Prompt = "bench" }.ToJson();
        foreach (var wake in new[] { false, true })
        {
            var latencies = new List<double>();
            for (var i = 0; i < samples; i++)
            {
                File.Delete(stamp);
                // Idle long enough for the poller to reach its 2 s maximum (0.1+0.2+…+1.6 s ≈ 3.1 s), then land at a
                // random point of its 2 s cycle, so the samples are not in step with the backoff schedule.
                await Task.Delay(TimeSpan.FromSeconds(6 + Random.Shared.NextDouble() * 2));
                var enqueuedNs = UnixNanoseconds();
                var id = (await queue.EnqueueAsync(new NewJob(JobKinds.Generate, payload) { MaxAttempts = 1 })).JobId;
                if (wake)
                {
                    using var response = await http.PostAsync("/wake", null);
                }
                var started = await WaitForStampAsync(stamp);
                latencies.Add((started - enqueuedNs) / 1e6);
                await WaitFinishedAsync(jobs, id);
            }
            latencies.Sort();
            Console.WriteLine($"{(wake ? "with wake   " : "without wake")}: p50 {Percentile(latencies, 50):F0} ms, p90 {Percentile(latencies, 90):F0} ms, max {latencies[^1]:F0} ms (n={samples})");
        }
        worker.Kill(entireProcessTree: true);
        return 0;
    }

    private static Process StartWorker(string dataDirectory, string cliPath, int port) =>
        BenchProcess.Start(BenchPaths.Dll("ImageGen.Worker", "ImageGen.Worker"), Environment.CurrentDirectory, new()
        {
            ["ImageGen__DataDir"] = dataDirectory,
            ["Worker__CliPath"] = cliPath,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        });

    private static async Task<long> WaitForStampAsync(string stamp)
    {
        for (var i = 0; i < 2_000; i++)
        {
            if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp) is { Length: > 0 } text)
            {
                return long.Parse(text.Trim(), CultureInfo.InvariantCulture);
            }
            await Task.Delay(2);
        }
        throw new TimeoutException("the CLI never started");
    }

    private static async Task WaitFinishedAsync(JobQueries jobs, long id)
    {
        while ((await jobs.GetAsync(id))!.Status is JobStatus.Queued or JobStatus.Running)
        {
            await Task.Delay(20);
        }
    }

    private static long UnixNanoseconds() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;

    private static double Percentile(List<double> sorted, int p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
