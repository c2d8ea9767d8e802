using System.Diagnostics;
using System.Globalization;
using Dapper;
using ImageGen.Core;
using ImageGen.Core.Storage;

namespace ImageGen.Bench;

/// <summary>
/// Fills a data folder with a large catalog for load measurements: 100 projects, N work items spread over
/// them, and runs of 4 images each (one succeeded job per run) until M images exist. Files are not written:
/// the measured pages read rows, and the grids' image requests are a separate route.
/// </summary>
internal static class Seeder
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: ImageGen.Bench seed <data-dir> [work-items=10000] [images=100000]");
            return 2;
        }
        var workItems = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var images = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
        const int projects = 100, imagesPerRun = 4;
        var stopwatch = Stopwatch.StartNew();
        using var database = new ImageGen.Core.Storage.Sqlite.SqliteDatabase(new DataRoot(args[0]));
        await Migrator.MigrateAsync(database);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO brands (name, slug, content_markdown, created_at, updated_at) VALUES ('Acme', 'acme', 'Primary #c2410c, ink #1c1917', @now, @now)", new { now }, t);
            await c.ExecuteAsync("INSERT INTO projects (name, slug, default_brand_id, created_at, updated_at) VALUES (@name, @slug, 1, @now, @now)",
                Enumerable.Range(1, projects).Select(p => new { name = $"Project {p}", slug = $"p-{p}", now }), t);
            await c.ExecuteAsync("""
                INSERT INTO work_items (project_id, name, slug, type, prompt, created_at, updated_at)
                VALUES (@project, @name, @slug, 'hero', 'a steaming cup on a wooden table', @now, @now)
                """, Enumerable.Range(1, workItems).Select(i => new { project = ((i - 1) % projects) + 1, name = $"Item {i}", slug = $"item-{i}", now }), t);
            var runs = images / imagesPerRun;
            for (var r = 1; r <= runs; r++)
            {
                var workItem = ((r - 1) % workItems) + 1;
                var created = now - ((runs - r) * 1000L);
                var jobId = await c.ExecuteScalarAsync<long>("""
                    INSERT INTO jobs (kind, work_item_id, status, payload_json, attempt, run_after, created_at, started_at, finished_at, updated_at)
                    VALUES ('generate', @workItem, 'succeeded', '{"model":"offline/procedural","composedPrompt":"a steaming cup","count":4,"format":"png"}',
                            1, @created, @created, @created, @created, @created) RETURNING id
                    """, new { workItem, created }, t);
                var runId = await c.ExecuteScalarAsync<long>("""
                    INSERT INTO runs (work_item_id, job_id, attempt, model, prompt, settings_json, status, created_at, finished_at, updated_at)
                    VALUES (@workItem, @jobId, 1, 'offline/procedural', 'a steaming cup', '{"count":4}', 'succeeded', @created, @created, @created) RETURNING id
                    """, new { workItem, jobId, created }, t);
                for (var i = 1; i <= imagesPerRun; i++)
                {
                    await c.ExecuteAsync("""
                        INSERT INTO run_images (run_id, path, format, width, height, bytes, sha256, seed, created_at)
                        VALUES (@runId, @path, 'png', 1024, 1024, 250000, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', @i, @created)
                        """, new { runId, path = $"images/p/item-{workItem}/run-{runId}/0{i}-seed{i}.png", i, created }, t);
                }
            }
        });
        await database.WriteAsync((c, t) => c.ExecuteAsync("ANALYZE;", transaction: t));
        Console.WriteLine($"seeded {projects} projects, {workItems:N0} work items, {images / imagesPerRun:N0} jobs and runs, {images:N0} images in {stopwatch.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
}
