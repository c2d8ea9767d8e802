using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Hangfire.Storage.SQLite;

// dotnet run -c Release --project bench/ImageGen.Bench.Hangfire -- [jobs=5000] [workers=4] [samples=20] [poll-ms=100]
// Throughput: the jobs are enqueued, then a server with N workers runs them (a job counts itself); jobs/s over the run.
// Wake latency: an idle server, one job at a time, from Enqueue returning to the job starting (p50/p90/max).
var jobs = Arg(0, 5000);
var workers = Arg(1, 4);
var samples = Arg(2, 20);
var poll = TimeSpan.FromMilliseconds(Arg(3, 100));
var folder = Path.Combine(Path.GetTempPath(), "imagegen-bench", $"hangfire-{Guid.NewGuid():N}");
Directory.CreateDirectory(folder);
GlobalConfiguration.Configuration.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
var storage = new SQLiteStorage(Path.Combine(folder, "hangfire.db"), new SQLiteStorageOptions { QueuePollInterval = poll });
var client = new BackgroundJobClient(storage);

var enqueue = Stopwatch.StartNew();
for (var i = 0; i < jobs; i++)
{
    client.Enqueue(() => Probe.Hit());
}
enqueue.Stop();
var run = Stopwatch.StartNew();
using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers, ServerName = "bench" }, storage))
{
    while (Volatile.Read(ref Probe.Count) < jobs)
    {
        Thread.Sleep(5);
    }
    run.Stop();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"hangfire sqlite: enqueue {jobs / enqueue.Elapsed.TotalSeconds:F0} jobs/s; run {jobs} with {workers} workers {jobs / run.Elapsed.TotalSeconds:F0} jobs/s (poll {poll.TotalMilliseconds} ms)"));

    var latencies = new List<double>();
    for (var i = 0; i < samples; i++)
    {
        Thread.Sleep(TimeSpan.FromMilliseconds(500 + Random.Shared.Next(500)));
        Probe.Started.Reset();
        var enqueued = Stopwatch.GetTimestamp();
        client.Enqueue(() => Probe.Start());
        Probe.Started.Wait();
        latencies.Add(Stopwatch.GetElapsedTime(enqueued, Volatile.Read(ref Probe.StartedAt)).TotalMilliseconds);
    }
    latencies.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"hangfire sqlite: enqueue -> job start p50 {latencies[latencies.Count / 2]:F0} ms, p90 {latencies[(int)(latencies.Count * 0.9)]:F0} ms, max {latencies[^1]:F0} ms (n={samples}, poll {poll.TotalMilliseconds} ms)"));
}
return 0;

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

public static class Probe
{
    public static int Count;
    public static long StartedAt;
    public static readonly ManualResetEventSlim Started = new();

    public static void Hit() => Interlocked.Increment(ref Count);

    public static void Start()
    {
        Volatile.Write(ref StartedAt, Stopwatch.GetTimestamp());
        Started.Set();
    }
}
