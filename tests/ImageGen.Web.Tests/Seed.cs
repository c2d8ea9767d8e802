using Dapper;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Tests;

/// <summary>Rows inserted directly, for tests about reading them.</summary>
internal static class Seed
{
    /// <summary>Brand "acme", project "launch" (default brand acme), work item "hero". Returns the work item id.</summary>
    public static Task<long> CatalogAsync(Database database) =>
        database.WriteAsync((c, t) => c.ExecuteScalarAsync<long>("""
            INSERT INTO brands (id, name, slug, content_markdown, created_at, updated_at) VALUES (1, 'Acme', 'acme', 'Primary #ff5500', 0, 0);
            INSERT INTO projects (id, name, slug, default_brand_id, created_at, updated_at) VALUES (1, 'Launch', 'launch', 1, 0, 0);
            INSERT INTO work_items (id, project_id, name, slug, type, prompt, created_at, updated_at)
            VALUES (1, 1, 'Hero', 'hero', 'hero', 'a steaming cup', 0, 0);
            SELECT 1;
            """, transaction: t));

    /// <summary>N succeeded jobs for work item 1, each with one run of two images (files not written).</summary>
    public static Task RunsAsync(Database database, int count) =>
        database.WriteAsync(async (c, t) =>
        {
            for (var i = 0; i < count; i++)
            {
                var jobId = await c.ExecuteScalarAsync<long>("""
                    INSERT INTO jobs (kind, work_item_id, status, payload_json, attempt, run_after, created_at, updated_at)
                    VALUES ('generate', 1, 'succeeded', '{"model":"offline/procedural","composedPrompt":"x"}', 1, 0, @i, @i) RETURNING id
                    """, new { i }, t);
                var runId = await c.ExecuteScalarAsync<long>("""
                    INSERT INTO runs (work_item_id, job_id, attempt, model, prompt, settings_json, status, created_at, updated_at)
                    VALUES (1, @jobId, 1, 'offline/procedural', 'x', '{}', 'succeeded', @i, @i) RETURNING id
                    """, new { jobId, i }, t);
                await c.ExecuteAsync("""
                    INSERT INTO run_images (run_id, path, format, width, height, bytes, sha256, seed, created_at)
                    VALUES (@runId, 'images/launch/hero/run-' || @runId || '/01.png', 'png', 64, 64, 10, 'abc', 1, @i),
                           (@runId, 'images/launch/hero/run-' || @runId || '/02.png', 'png', 64, 64, 10, 'def', 2, @i)
                    """, new { runId, i }, t);
            }
        });
}
