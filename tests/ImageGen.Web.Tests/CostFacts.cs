using System.Text.Json;
using Dapper;
using ImageGen.Core.Generation;
using Microsoft.Extensions.DependencyInjection;
using ImageGen.Core.Spec;

namespace ImageGen.Web.Tests;

/// <summary>Cost per run, spend per work item, project, brand and overall, and cost per final, as the pages show them.</summary>
public sealed class CostFacts
{
    private static async Task<(WebTestHost Web, HttpClient Client)> StartAsync()
    {
        var (web, client, database) = await WebTestHost.StartAsync(runs: 3);
        var facts = new RunFacts
        {
            SentSize = "1088x608", SeedNote = "seed not supported", RequestIds = ["req_abc123"], ModelVersion = "gpt-image-2-2026-04-21",
            Usage = new ModelUsage(50, 0, 0, 4160), Cost = new RunCost(0.12505m, "4,210 tokens at the openai/gpt-image-2 prices", "2026-11-25"),
        };
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            UPDATE runs SET cost_usd = 0.12505, provider_json = @json, settings_json = '{"size":"1024x576"}' WHERE id = 1;
            UPDATE runs SET cost_usd = 0.5 WHERE id = 2;
            UPDATE runs SET cost_usd = 0.5, missing = 1, error_message = 'Gemini answered 503: overloaded. 2 of 3 images had arrived and were kept; 1 missing.' WHERE id = 3;
            UPDATE jobs SET status = 'failed', error_message = 'Gemini answered 503: overloaded.' WHERE id = (SELECT job_id FROM runs WHERE id = 3);
            INSERT INTO work_items (id, project_id, name, slug, type, prompt, created_at, updated_at) VALUES (2, 1, 'Icon', 'icon', 'icon', 'an icon', 0, 0);
            INSERT INTO finals (work_item_id, run_image_id, path, created_at) VALUES (1, 1, 'final/hero.png', 5);
            """, new { json = facts.ToJson() }, t));
        return (web, client);
    }

    [Fact]
    public async Task TheWorkItemPage_ShowsEachRunsCostAndFacts_AndTheItemsSpend()
    {
        var (web, client) = await StartAsync();
        await using var _ = web;

        var html = await client.GetStringAsync("/projects/launch/items/hero", TestContext.Current.CancellationToken);

        Assert.Contains("Spend <strong data-testid=\"spend-total\">$1.13</strong>", html, StringComparison.Ordinal);
        Assert.Contains("over 3 priced run(s) · 1 final(s)", html, StringComparison.Ordinal);
        Assert.Contains("<strong data-testid=\"spend-per-final\">$1.13</strong> per final", html, StringComparison.Ordinal);
        Assert.Contains(">cost $0.1251</span>", html, StringComparison.Ordinal);
        Assert.Contains("4,210 tokens · asked 1024x576, sent 1088x608 · seed not supported · model version gpt-image-2-2026-04-21 · request", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("<code title=\"req_abc123\">req_abc123</code>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"error-text\" data-testid=\"run-missing\">Gemini answered 503: overloaded. 2 of 3 images had arrived and were kept; 1 missing.</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunThatStoppedShort_OffersToRetryTheMissingImages_AndTheRetryQueuesTheJobAgain()
    {
        var (web, client) = await StartAsync();
        await using var _ = web;
        var html = await Forms.GetPageAsync(client, "/projects/launch/items/hero");
        var form = System.Text.RegularExpressions.Regex.Match(html, "<form (?=[^>]*data-testid=\"run-retry\")[^>]*action=\"/jobs/(\\d+)\\?handler=Retry\"[^>]*>(.*?)</form>",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(form.Success, "the retry form");
        Assert.Contains("Retry the 1 missing", form.Groups[2].Value, StringComparison.Ordinal);
        Assert.Contains("__RequestVerificationToken", form.Groups[2].Value, StringComparison.Ordinal);

        using var retry = await Forms.PostAsync(client, "/projects/launch/items/hero", new Dictionary<string, string>(), $"/jobs/{form.Groups[1].Value}?handler=Retry");

        Assert.Equal(System.Net.HttpStatusCode.Redirect, retry.StatusCode);
        Assert.Equal("/jobs/4", retry.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task TheProjectBrandAndDashboard_ShowSpendAndCostPerFinal()
    {
        var (web, client) = await StartAsync();
        await using var _ = web;

        foreach (var page in new[] { "/projects/launch", "/brands/acme", "/" })
        {
            var html = await client.GetStringAsync(page, TestContext.Current.CancellationToken);
            Assert.Contains("Spend <strong data-testid=\"spend-total\">$1.13</strong>", html, StringComparison.Ordinal);
            // One final across two work items: all the spend is per that final.
            Assert.Contains("<strong data-testid=\"spend-per-final\">$1.13</strong> per final", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheDashboardsKeptSpend_FollowsEachFinishedJobAndEachNewFinal()
    {
        var (web, client) = await StartAsync();
        await using var _ = web;
        var database = web.Services.GetRequiredService<ImageGen.Core.Storage.Database>();
        Assert.Contains("Spend <strong data-testid=\"spend-total\">$1.13</strong>", await client.GetStringAsync("/", TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // A job finishing as the worker records it: the run's cost and the job's state in one transaction.
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO jobs (kind, work_item_id, status, payload_json, attempt, run_after, created_at, updated_at)
            VALUES ('generate', 2, 'succeeded', '{"model":"offline/procedural","composedPrompt":"x"}', 1, 0, 900, 900);
            INSERT INTO runs (work_item_id, job_id, attempt, model, prompt, settings_json, status, cost_usd, created_at, updated_at)
            VALUES (2, last_insert_rowid(), 1, 'openai/gpt-image-2', 'x', '{}', 'succeeded', 1.0, 900, 900);
            """, transaction: t));
        var html = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("Spend <strong data-testid=\"spend-total\">$2.13</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<strong data-testid=\"spend-per-final\">$2.13</strong> per final", html, StringComparison.Ordinal);

        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO finals (work_item_id, run_image_id, path, created_at) VALUES (2, 2, 'final/icon.png', 6)", transaction: t));
        Assert.Contains("<strong data-testid=\"spend-per-final\">$1.06</strong> per final", await client.GetStringAsync("/", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunWhoseSizeWasReduced_SaysSoInItsHeader()
    {
        var (web, client, database) = await WebTestHost.StartAsync(runs: 1);
        await using var _ = web;
        var facts = new RunFacts { SentSize = "2048x512", SizeNote = "reduced: the model made 2048x512, its largest for this shape, upscaled 2× locally to 4096x1024" };
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE runs SET provider_json = @json, settings_json = '{\"size\":\"4096x1024\"}' WHERE id = 1", new { json = facts.ToJson() }, t));

        var html = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/projects/launch/items/hero", TestContext.Current.CancellationToken));

        Assert.Contains("asked 4096x1024, sent 2048x512 · reduced: the model made 2048x512, its largest for this shape, upscaled 2× locally to 4096x1024", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsWithoutACost_AreCountedAsNotPriced_NotAsFree()
    {
        var (web, client, database) = await WebTestHost.StartAsync(runs: 2);
        await using var _ = web;

        var html = await client.GetStringAsync("/projects/launch", TestContext.Current.CancellationToken);

        Assert.Contains("Spend <strong data-testid=\"spend-total\">$0</strong>", html, StringComparison.Ordinal);
        Assert.Contains("2 run(s) not priced", html, StringComparison.Ordinal);
        Assert.DoesNotContain("per final", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheExport_CarriesEachRunsCostAndTheSpend()
    {
        var (web, client) = await StartAsync();
        await using var _ = web;
        using var export = await Forms.PostAsync(client, "/projects/launch/items/hero",
            new Dictionary<string, string> { ["includeCandidates"] = "false" }, "/projects/launch/items/hero?handler=Export");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, export.StatusCode);
        var zipName = Uri.UnescapeDataString(export.Headers.Location!.OriginalString.Split("export=")[1]);
        using var zip = System.IO.Compression.ZipFile.OpenRead(Path.Combine(web.Root.ExportsDir, zipName));
        using var metadata = await JsonDocument.ParseAsync(zip.GetEntry("metadata.json")!.Open(), cancellationToken: TestContext.Current.CancellationToken);
        var spend = metadata.RootElement.GetProperty("spend");
        Assert.Equal(1.12505, spend.GetProperty("usd").GetDouble(), 9);
        var run1 = metadata.RootElement.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == 1);
        Assert.Equal(0.12505, run1.GetProperty("costUsd").GetDouble(), 9);
        Assert.Equal("req_abc123", run1.GetProperty("provider").GetProperty("requestIds")[0].GetString());
    }
}
