using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using ImageGen.Core;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using Microsoft.Extensions.Options;

namespace ImageGen.Bench;

/// <summary>
/// Claim + complete cycles per second with 1, 4 and 8 claiming processes (the ImageGen.QueueClaimer helper: one ClaimAsync
/// and one SucceedAsync per job, each its own transaction), on one SQLite file and, when a PostgreSQL connection string is
/// given (a server to make throwaway databases on), on PostgreSQL, in one run.
/// </summary>
internal static class QueueThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        var jobs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        var postgres = args.Length > 1 ? args[1] : null;
        Console.WriteLine($"Queue throughput: {jobs:N0} jobs, claim + complete, separate OS processes");
        Console.WriteLine("| store | processes | wall time (s) | jobs/s |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var processes in new[] { 1, 4, 8 })
        {
            foreach (var store in postgres is null ? new[] { "sqlite" } : ["sqlite", "postgres"])
            {
                for (var round = 0; round < 3; round++)
                {
                    var (seconds, perSecond) = await RunOnceAsync(jobs, processes, store == "postgres" ? postgres : null, round);
                    Console.WriteLine($"| {store} | {processes} | {seconds:F2} | {perSecond:N0} |");
                }
            }
        }
        return 0;
    }

    private static async Task<(double Seconds, double PerSecond)> RunOnceAsync(int jobs, int processes, string? postgresServer, int round)
    {
        var dataDirectory = BenchPaths.NewDataDirectory("queue");
        var address = postgresServer is null
            ? new StoreAddress(StorageProviders.Sqlite, dataDirectory)
            : new StoreAddress(StorageProviders.Postgres, new Npgsql.NpgsqlConnectionStringBuilder(postgresServer) { Database = $"bench_{Environment.ProcessId}_{processes}_{round}_{DateTime.UtcNow.Ticks}" }.ConnectionString);
        using (var database = address.Open(new DataRoot(dataDirectory)))
        {
            await Migrator.MigrateAsync(database);
            var queue = StorageServices.CreateQueue(database, new ImageGen.Core.Storage.Sql.SqlRunCloser(database, new ImageGen.Core.Files.LocalImageStore(database.Root)), TimeProvider.System, Options.Create(new QueueOptions()));
            await database.WriteAsync(async (c, t) =>
            {
                for (var i = 0; i < jobs; i++)
                {
                    await queue.EnqueueAsync(c, t, new NewJob("noop", "{}"));
                }
            });
        }
        var claimer = BenchPaths.Dll(Path.Combine("tests", "ImageGen.QueueClaimer"), "ImageGen.QueueClaimer");
        var storeArgument = postgresServer is null ? dataDirectory : $"postgres:{address.Value}";
        var stopwatch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(1, processes).Select(n =>
            Cli.Wrap("dotnet").WithArguments([claimer, "claim", storeArgument, $"bench-{n}"]).ExecuteBufferedAsync().Task));
        stopwatch.Stop();
        var claimed = results.Sum(r => r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        if (claimed != jobs)
        {
            throw new InvalidOperationException($"claimed {claimed} of {jobs}");
        }
        Directory.Delete(dataDirectory, recursive: true);
        // Process start-up (~0.1 s) is inside the wall time, so these numbers understate steady-state throughput.
        return (stopwatch.Elapsed.TotalSeconds, jobs / stopwatch.Elapsed.TotalSeconds);
    }
}
