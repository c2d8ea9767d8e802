using System.Net;
using Dapper;
using ImageGen.Core.Iteration;
using ImageGen.Core.Queue;
using Microsoft.Extensions.DependencyInjection;

namespace ImageGen.Web.Tests;

/// <summary>The image-first pages through the server: the viewer, the gallery's final marker, linked validation errors,
/// the brand preview, compare from a given image, what changed, and the paused queue where a job waits.</summary>
public sealed class GalleryPageFacts
{
    private const string Item = "/projects/launch/items/hero";

    private static async Task<(WebTestHost Web, HttpClient Client, ImageGen.Core.Storage.Database Database)> StartAsync()
    {
        var (web, client, database) = await WebTestHost.StartAsync(runs: 2); // run 1: images 1, 2; run 2: images 3, 4
        foreach (var (run, name) in new[] { (1, "01.png"), (1, "02.png"), (2, "01.png"), (2, "02.png") })
        {
            var file = Path.Combine(web.Root.Path, "images", "launch", "hero", $"run-{run}", name);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, [1, 2, 3], TestContext.Current.CancellationToken);
        }
        return (web, client, database);
    }

    [Fact]
    public async Task TheViewer_ShowsOneCandidate_WithItsNeighboursInTheGalleryOrder_AndStarsAndFinalizes()
    {
        var (web, client, _) = await StartAsync();
        await using var _web = web;

        // The gallery's order: newest run first, its images in order: 3, 4, 1, 2.
        var html = await Forms.GetPageAsync(client, "/images/4/view");
        Assert.Contains("href=\"/images/3/view\" rel=\"prev\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/images/1/view\" rel=\"next\"", html, StringComparison.Ordinal);
        Assert.Contains("2 of 4", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{Item}#image-4\" data-key=\"Escape\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{Item}/compare?with=4\"", html, StringComparison.Ordinal);
        var first = await Forms.GetPageAsync(client, "/images/3/view");
        Assert.DoesNotContain("rel=\"prev\"", first, StringComparison.Ordinal);

        using (var star = await Forms.PostAsync(client, "/images/4/view", new Dictionary<string, string> { ["starred"] = "true" }, "/images/4/view?handler=Star"))
        {
            Assert.Equal("/images/4/view", star.Headers.Location!.OriginalString);
        }
        Assert.Contains("aria-pressed=\"true\"", await Forms.GetPageAsync(client, "/images/4/view"), StringComparison.Ordinal);
        using (var final = await Forms.PostAsync(client, "/images/4/view", new Dictionary<string, string>(), "/images/4/view?handler=Finalize"))
        {
            Assert.Equal(HttpStatusCode.Redirect, final.StatusCode);
        }
        var after = await Forms.GetPageAsync(client, "/images/4/view");
        Assert.Contains("Image #4 is now the final", after, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"final-badge\"", after, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Finalize", after, StringComparison.Ordinal);

        // In the gallery the final is marked and offers no "Make final".
        var gallery = await Forms.GetPageAsync(client, Item);
        Assert.Contains("id=\"image-4\" class=\"candidate is-final\"", gallery, StringComparison.Ordinal);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(gallery, "Make final<span class=\"visually-hidden\"> image \\d+</span>"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/images/999/view", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task RepeatedControls_NameTheirImage()
    {
        var (web, client, _) = await StartAsync();
        await using var _web = web;

        var html = await Forms.GetPageAsync(client, Item);

        foreach (var id in new[] { 1, 2, 3, 4 })
        {
            Assert.Contains($"Star<span class=\"visually-hidden\"> image {id}</span>", html, StringComparison.Ordinal);
            Assert.Contains($"Make final<span class=\"visually-hidden\"> image {id}</span>", html, StringComparison.Ordinal);
            Assert.Contains($"More like this<span class=\"visually-hidden\"> (image {id})</span>", html, StringComparison.Ordinal);
            Assert.Contains($"aria-label=\"Open image {id} (", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AFormWithNoModel_IsRefused_AndTheErrorIsLinkedToTheField()
    {
        var (web, client, database) = await StartAsync();
        await using var _web = web;
        var jobsBefore = await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT count(*) FROM jobs"));

        using var response = await Forms.PostAsync(client, Item, new Dictionary<string, string>
        {
            ["Generate.Format"] = "png", ["Generate.Count"] = "1", ["Generate.Seed"] = "-4",
        }, $"{Item}?handler=Generate");
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("<select[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"[^\"]*Generate_Models-error\"|<select[^>]*aria-describedby=\"[^\"]*Generate_Models-error\"[^>]*aria-invalid=\"true\"", html);
        Assert.Contains("id=\"Generate_Models-error\"", html, StringComparison.Ordinal);
        Assert.Contains("Choose at least one model.", html, StringComparison.Ordinal);
        Assert.Matches("<input[^>]*aria-describedby=\"Generate_Seed-error\"[^>]*aria-invalid=\"true\"|<input[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"Generate_Seed-error\"", html);
        Assert.Equal(jobsBefore, await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT count(*) FROM jobs")));
    }

    [Fact]
    public async Task TheBrandPreview_RendersTheTypedMarkdown_WithSwatches_AsTheBrandPageWill()
    {
        var (web, client, _) = await StartAsync();
        await using var _web = web;

        using var response = await Forms.PostAsync(client, "/brands/acme/edit", new Dictionary<string, string>
        {
            ["Input.Name"] = "Acme", ["Input.ContentMarkdown"] = "## Colours\n\n- Ink #1f3a5f\n\n<script>alert(1)</script>",
        }, "/brands/acme/edit?handler=Preview");
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<rect width=\"1\" height=\"1\" fill=\"#1f3a5f\" />", html, StringComparison.Ordinal);
        Assert.Contains("<h3", html, StringComparison.Ordinal); // headings one level down, as on the brand page
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("Primary #ff5500", await Forms.GetPageAsync(client, "/brands/acme"), StringComparison.Ordinal); // nothing was saved
        Assert.Contains("fill=\"#ff5500\"", await Forms.GetPageAsync(client, "/brands/acme"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompareWithAnImage_ShowsItFirst_AndWhatChangedListsAdjustmentParentAndCost()
    {
        var (web, client, database) = await StartAsync();
        await using var _web = web;
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE runs SET adjustment = 'more copper', parent_run_id = 1, cost_usd = 0.25 WHERE id = 2", transaction: t));

        var compare = await Forms.GetPageAsync(client, $"{Item}/compare?with=2");
        Assert.Contains("src=\"/images/2\" width", compare, StringComparison.Ordinal);
        Assert.Contains("alt=\"Left candidate, image 2\"", compare, StringComparison.Ordinal);

        var diff = System.Net.WebUtility.HtmlDecode(await Forms.GetPageAsync(client, $"{Item}/diff?a=1&b=2"));
        Assert.Contains("<tr class=\"changed\" data-testid=\"setting-adjustment\"><td>adjustment</td><td>—</td><td>more copper</td></tr>", diff, StringComparison.Ordinal);
        Assert.Contains("<td>parent run</td><td>—</td><td>#1</td>", diff, StringComparison.Ordinal);
        Assert.Contains("<td>cost</td><td>not priced</td><td>$0.2500</td>", diff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQueuedJob_WhileTheQueueIsPaused_SaysItWaits_OnItsPageAndItsWorkItem()
    {
        var (web, client, database) = await StartAsync();
        await using var _web = web;
        var queue = web.Services.GetRequiredService<IJobQueue>();
        var job = await queue.EnqueueAsync(new NewJob(JobKinds.Generate, """{"model":"offline/procedural","composedPrompt":"x"}""") { WorkItemId = 1 });
        await queue.SetPausedAsync(true, "test");

        Assert.Contains("data-testid=\"waits-paused\"", await Forms.GetPageAsync(client, $"/jobs/{job.JobId}"), StringComparison.Ordinal);
        Assert.Contains("waiting: the queue is paused", await Forms.GetPageAsync(client, Item), StringComparison.Ordinal);
        Assert.Contains("queued (queue paused)", await Forms.GetPageAsync(client, "/jobs"), StringComparison.Ordinal);

        await queue.SetPausedAsync(false, "test");
        Assert.DoesNotContain("waits-paused", await Forms.GetPageAsync(client, $"/jobs/{job.JobId}"), StringComparison.Ordinal);
    }
}
