using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using Dapper;
using ImageGen.Core;
using ImageGen.Core.Storage;

namespace ImageGen.Bench;

/// <summary>
/// How soon an open page hears of a job change another process committed: the Release web app on a store, one
/// Server-Sent Events stream open on <c>/live/jobs/events</c>, and this process standing in for the worker, which commits
/// a change to a job and times the stream's event from the commit's return. SQLite (the web app's 20 ms marker read)
/// and, given a PostgreSQL server, PostgreSQL (LISTEN on the trigger's NOTIFY), taken in turn within each sample.
/// <c>live [samples] [postgres-server-connection-string]</c>.
/// </summary>
internal static class LiveLatency
{
    public static async Task<int> RunAsync(string[] args)
    {
        var samples = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var n) ? n : 30;
        var postgresServer = args.Length > 1 ? args[1] : null;
        var stores = new List<Store> { await Store.StartAsync(StorageProviders.Sqlite, null) };
        try
        {
            if (postgresServer is not null)
            {
                stores.Add(await Store.StartAsync(StorageProviders.Postgres, postgresServer));
            }
            foreach (var store in stores)
            {
                await store.MeasureAsync(); // warm-up: the first change pays for JIT on both sides
            }
            var results = stores.ToDictionary(s => s.Name, _ => new List<double>());
            for (var i = 0; i < samples; i++)
            {
                foreach (var store in stores)
                {
                    // A random pause, so a change lands at a random point of the SQLite watcher's 20 ms tick.
                    await Task.Delay(Random.Shared.Next(50, 150));
                    results[store.Name].Add(await store.MeasureAsync());
                }
            }
            Console.WriteLine($"Commit → the open stream's event, {samples} samples each (ms)");
            Console.WriteLine("| store | p50 | p90 | min | max |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var (name, values) in results)
            {
                values.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {Percentile(values, 0.5):F1} | {Percentile(values, 0.9):F1} | {values[0]:F1} | {values[^1]:F1} |"));
            }
            return 0;
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Round(p * (sorted.Count - 1))];

    private sealed class Store : IAsyncDisposable
    {
        private readonly Process _web;
        private readonly Database _database;
        private readonly HttpClient _http;
        private readonly HttpResponseMessage _response;
        private readonly IAsyncEnumerator<SseItem<string>> _events;
        private long _stamp = 1;

        private Store(string name, Process web, Database database, HttpClient http, HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> events)
        {
            Name = name;
            _web = web;
            _database = database;
            _http = http;
            _response = response;
            _events = events;
        }

        public string Name { get; }

        public static async Task<Store> StartAsync(string provider, string? postgresServer)
        {
            var dataDirectory = BenchPaths.NewDataDirectory($"live-{provider}");
            var environment = new Dictionary<string, string>
            {
                ["ImageGen__DataDir"] = dataDirectory,
                ["Worker__BaseUrl"] = "http://127.0.0.1:9",
            };
            Database database;
            if (postgresServer is not null)
            {
                var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(postgresServer) { Database = $"live_{Environment.ProcessId}_{DateTime.UtcNow.Ticks}" }.ConnectionString;
                environment["Storage__Provider"] = StorageProviders.Postgres;
                environment["Storage__ConnectionString"] = connectionString;
                database = new ImageGen.Core.Storage.Postgres.PostgresDatabase(new DataRoot(dataDirectory), connectionString);
            }
            else
            {
                database = new ImageGen.Core.Storage.Sqlite.SqliteDatabase(new DataRoot(dataDirectory));
            }
            await Migrator.MigrateAsync(database);
            await database.WriteAsync((c, t) => c.ExecuteAsync("""
                INSERT INTO jobs (kind, status, payload_json, attempt, run_after, created_at, updated_at)
                VALUES ('noop', 'succeeded', '{}', 1, 0, 1, 1)
                """, transaction: t));

            var port = BenchProcess.FreePort();
            environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            var web = BenchProcess.Start(Path.Combine(BenchPaths.Root, "ImageGen.Web", "bin", "Release", "net10.0", "ImageGen.Web.dll"),
                Path.Combine(BenchPaths.Root, "ImageGen.Web"), environment);
            var url = $"http://127.0.0.1:{port}";
            await BenchProcess.WaitUpAsync($"{url}/health");
            var http = new HttpClient { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
            var marker = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/live/jobs")).RootElement.GetProperty("version").GetString()!;
            var response = await http.GetAsync($"/live/jobs/events?since={Uri.EscapeDataString(marker)}", HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            var events = SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator();
            if (!await events.MoveNextAsync() || events.Current.EventType != "ping")
            {
                throw new InvalidOperationException($"{provider}: the stream did not open with a ping");
            }
            return new Store(provider, web, database, http, response, events);
        }

        /// <summary>Commits one change to the job and returns the milliseconds from the commit's return to the event.</summary>
        public async Task<double> MeasureAsync()
        {
            var stamp = ++_stamp;
            await _database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE jobs SET updated_at = @stamp", new { stamp }, t));
            var committed = Stopwatch.GetTimestamp();
            while (true)
            {
                if (!await _events.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)))
                {
                    throw new InvalidOperationException($"{Name}: the stream ended");
                }
                if (_events.Current.EventType == "change" && _events.Current.Data.StartsWith(stamp.ToString(CultureInfo.InvariantCulture) + "-", StringComparison.Ordinal))
                {
                    return Stopwatch.GetElapsedTime(committed).TotalMilliseconds;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _events.DisposeAsync();
            _response.Dispose();
            _http.Dispose();
            _web.Kill(entireProcessTree: true);
            await _web.WaitForExitAsync();
            _web.Dispose();
            _database.Dispose();
        }
    }
}
