using System.Diagnostics;
using System.Globalization;
using Dapper;
using ImageGen.Core;
using ImageGen.Core.Iteration;
using ImageGen.Core.Storage;

namespace ImageGen.Bench;

/// <summary>
/// What one pick costs as a work item's candidates grow: <see cref="ComparisonStore.RecordAsync"/> (this build: the two
/// candidates' scores from their own picks) against the full Bradley–Terry refit every pick used to run
/// (<see cref="Ranking.Scores"/> over every candidate and pick), on an item with N candidates and N/4 picks made.
/// <c>picks [candidates…]</c>, default 500 2000.
/// </summary>
internal static class PickCost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [500, 2000];
        foreach (var candidates in sizes)
        {
            var dataDirectory = BenchPaths.NewDataDirectory($"picks-{candidates}");
            using var database = new ImageGen.Core.Storage.Sqlite.SqliteDatabase(new DataRoot(dataDirectory));
            await Migrator.MigrateAsync(database);
            await database.WriteAsync(async (c, t) =>
            {
                await c.ExecuteAsync("""
                    INSERT INTO brands (id, name, slug, content_markdown, created_at, updated_at) VALUES (1, 'Acme', 'acme', '#c2410c', 0, 0);
                    INSERT INTO projects (id, name, slug, default_brand_id, created_at, updated_at) VALUES (1, 'Launch', 'launch', 1, 0, 0);
                    INSERT INTO work_items (id, project_id, name, slug, type, prompt, created_at, updated_at) VALUES (1, 1, 'Hero', 'hero', 'hero', 'x', 0, 0);
                    """, transaction: t);
                for (var r = 1; r <= candidates / 4; r++)
                {
                    var job = await c.ExecuteScalarAsync<long>("""
                        INSERT INTO jobs (kind, work_item_id, status, payload_json, attempt, run_after, created_at, updated_at)
                        VALUES ('generate', 1, 'succeeded', '{}', 1, 0, 0, 0) RETURNING id
                        """, transaction: t);
                    var run = await c.ExecuteScalarAsync<long>("""
                        INSERT INTO runs (work_item_id, job_id, attempt, model, prompt, settings_json, status, created_at, updated_at)
                        VALUES (1, @job, 1, 'offline/procedural', 'x', '{}', 'succeeded', 0, 0) RETURNING id
                        """, new { job }, t);
                    await c.ExecuteAsync("""
                        INSERT INTO run_images (run_id, path, format, width, height, bytes, sha256, seed, created_at)
                        VALUES (@run, 'x.png', 'png', 64, 64, 1, 'x', @i, 0)
                        """, Enumerable.Range(0, 4).Select(i => new { run, i }), t);
                }
                return 0;
            });
            var store = new ComparisonStore(database, TimeProvider.System);
            var random = new Random(18);
            var picks = new List<(long, long)>();
            var timings = new List<double>();
            for (var i = 0; i < candidates / 4; i++)
            {
                long a = random.Next(1, candidates + 1), b = random.Next(1, candidates + 1);
                if (a == b)
                {
                    continue;
                }
                var started = Stopwatch.GetTimestamp();
                await store.RecordAsync(1, a, b, a, null);
                timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                picks.Add((a, b));
            }
            var ids = Enumerable.Range(1, candidates).Select(i => (long)i).ToList();
            var refit = Stopwatch.StartNew();
            const int refits = 5;
            for (var i = 0; i < refits; i++)
            {
                Ranking.Scores(ids, picks);
            }
            timings.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{candidates,5} candidates, {picks.Count} picks: a pick {timings[timings.Count / 2]:F2} ms p50 ({timings[^1]:F2} ms max: the first, with JIT); " +
                $"the full refit alone {refit.Elapsed.TotalMilliseconds / refits:F1} ms"));
        }
        return 0;
    }
}
