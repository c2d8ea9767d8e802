using Dapper;
using ImageGen.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ImageGen.Web.Tests;

public sealed class DiffFacts
{
    [Fact]
    public async Task Diff_ShowsPromptSettingsModelAndBrandRevisionChanges()
    {
        var (web, client, database) = await WebTestHost.StartAsync(seedCatalog: false);
        await using var _web = web;
        using var _client = client;
        using (var brand = await Forms.PostAsync(client, "/brands/new", new Dictionary<string, string> { ["Input.Name"] = "Acme", ["Input.ContentMarkdown"] = "Primary #ff5500, calm tone" })) { }
        using (var edit = await Forms.PostAsync(client, "/brands/acme/edit", new Dictionary<string, string> { ["Input.Name"] = "Acme", ["Input.ContentMarkdown"] = "Primary #ff5500, bold tone" })) { }
        using (var same = await Forms.PostAsync(client, "/brands/acme/edit", new Dictionary<string, string> { ["Input.Name"] = "Acme", ["Input.ContentMarkdown"] = "Primary #ff5500, bold tone" })) { }
        Assert.Equal([1L, 2L], await database.ReadAsync(c => c.QueryAsync<long>("SELECT revision FROM brand_revisions ORDER BY revision"))); // an unchanged save adds none
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO projects (name, slug, default_brand_id, created_at, updated_at) VALUES ('Launch', 'launch', 1, 0, 0);
            INSERT INTO work_items (project_id, name, slug, type, prompt, created_at, updated_at) VALUES (1, 'Hero', 'hero', 'hero', 'x', 0, 0);
            INSERT INTO jobs (kind, work_item_id, status, payload_json, run_after, created_at, updated_at) VALUES ('generate', 1, 'succeeded', '{}', 0, 1, 1), ('generate', 1, 'succeeded', '{}', 0, 2, 2);
            INSERT INTO runs (work_item_id, job_id, attempt, model, prompt, settings_json, status, brand_revision_id, created_at, updated_at)
            VALUES (1, 1, 1, 'offline/procedural', 'a warm cup on a table', '{"count":4,"format":"png"}', 'succeeded', 1, 1, 1),
                   (1, 2, 1, 'compat/sdxl', 'a cold cup on a table', '{"count":2,"format":"png"}', 'succeeded', 2, 2, 2);
            """, transaction: t));

        var html = System.Net.WebUtility.HtmlDecode(await Forms.GetPageAsync(client, "/projects/launch/items/hero/diff?a=1&b=2"));

        Assert.Contains("offline/procedural → compat/sdxl", html, StringComparison.Ordinal);
        Assert.Contains("""<pre class="diff" data-testid="prompt-diff"><span class="diff-same">a </span><span class="diff-removed">warm</span><span class="diff-added">cold</span><span class="diff-same"> cup on a table</span>""", html, StringComparison.Ordinal);
        Assert.Contains("""<tr class="changed" data-testid="setting-count"><td>count</td><td>4</td><td>2</td></tr>""", html, StringComparison.Ordinal);
        Assert.Contains("""<tr class="" data-testid="setting-format">""", html, StringComparison.Ordinal);
        Assert.Contains("Acme revision 1 → Acme revision 2", html, StringComparison.Ordinal);
        Assert.Contains("""<span class="diff-removed">calm</span><span class="diff-added">bold</span>""", html, StringComparison.Ordinal);
        Assert.Contains("Both runs must belong to this work item", await Forms.GetPageAsync(client, "/projects/launch/items/hero/diff?a=1&b=99"), StringComparison.Ordinal);
    }
}
