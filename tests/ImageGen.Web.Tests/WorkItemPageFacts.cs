using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Core.Spec;

namespace ImageGen.Web.Tests;

/// <summary>
/// The work item page as its view model builds it: a run's header, lineage, inputs and retry from the stored spec, and
/// every form's handler answering 404 for an item that is not there (one lookup for all of them).
/// </summary>
public sealed partial class WorkItemPageFacts
{
    private const string Page = "/projects/launch/items/hero";

    /// <summary>Run 1 (seeded), then job 2 "more like" image 1 of it: image-to-image, a reference, transparent, low,
    /// 16:9 WebP ×2, adjusted; it failed twice, so it has two runs (attempts 1 and 2).</summary>
    private static async Task SeedMoreLikeThisAsync(ImageGen.Core.Storage.Database database)
    {
        var spec = new JobSpec
        {
            Model = "openai/gpt-image-2",
            Prompt = "x",
            Count = 2,
            AspectRatio = "16:9",
            Format = ImageFormats.Webp,
            Background = Backgrounds.Transparent,
            Quality = Qualities.Low,
            Source = new InputFile("images/launch/hero/run-1/01.png", "abcdef0123456789", "png", "01.png") { ImageId = 1 },
            References = [new InputFile("assets/logo.png", "0123456789abcdef", "png", "logo.png") { AssetId = 7, Role = "logo" }],
        }.ToJson();
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO jobs (id, kind, work_item_id, status, payload_json, attempt, run_after, created_at, updated_at)
            VALUES (2, 'generate', 1, 'failed', '{"model":"openai/gpt-image-2","composedPrompt":"x"}', 2, 0, 10, 10);
            INSERT INTO runs (work_item_id, job_id, attempt, model, prompt, settings_json, status, error_message, parent_run_id, adjustment, created_at, updated_at)
            VALUES (1, 2, 1, 'openai/gpt-image-2', 'x', @spec, 'failed', 'first try refused', 1, 'warmer', 10, 10),
                   (1, 2, 2, 'openai/gpt-image-2', 'x', @spec, 'failed', 'second try refused', 1, 'warmer', 11, 11);
            """, new { spec }, t));
    }

    [GeneratedRegex("""<article class="run" data-testid="run">.*?</article>""", RegexOptions.Singleline)]
    private static partial Regex RunArticle();

    [Fact]
    public async Task ARunsHeader_SaysItsSettingsLineageInputsAndAttempt_FromItsSpec()
    {
        var (web, client, database) = await WebTestHost.StartAsync(runs: 1);
        await using var _ = web;
        using var __ = client;
        await SeedMoreLikeThisAsync(database);

        var runs = RunArticle().Matches(await Forms.GetPageAsync(client, Page)).Select(m => WebUtility.HtmlDecode(m.Value)).ToList();

        // Newest first: attempt 2, attempt 1 of job 2, then the seeded run.
        Assert.Equal(3, runs.Count);
        var latest = runs[0];
        Assert.Contains("<h3>Run #3</h3>", latest, StringComparison.Ordinal);
        Assert.Contains("openai/gpt-image-2 · 16:9 webp ×2", latest, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/jobs/2\">job #2</a> · attempt 2</span>", latest, StringComparison.Ordinal);
        Assert.Contains("<p class=\"muted\" data-testid=\"lineage\">Image-to-image from image #1 of run #1: “warmer”</p>", latest, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"run-source\"", latest, StringComparison.Ordinal);
        Assert.Contains("from image #1 <code title=\"SHA-256 abcdef0123456789\">abcdef01</code>", latest, StringComparison.Ordinal);
        Assert.Contains("logo: logo.png <code title=\"SHA-256 0123456789abcdef\">01234567</code>", latest, StringComparison.Ordinal);
        Assert.Contains("<span class=\"input-chip\">background transparent</span>", latest, StringComparison.Ordinal);
        Assert.Contains("<span class=\"input-chip\">quality low</span>", latest, StringComparison.Ordinal);
        Assert.Contains("<p class=\"error-text\">second try refused</p>", latest, StringComparison.Ordinal);
        // Retry belongs to the job's latest attempt only.
        Assert.Contains("data-testid=\"run-retry\"", latest, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Retry job #2\">Retry</button>", latest, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"run-retry\"", runs[1], StringComparison.Ordinal);
        Assert.DoesNotContain("· attempt", runs[1], StringComparison.Ordinal);

        // A run with an empty stored spec: the defaults, no lineage, no inputs row, no retry (its job succeeded).
        var seeded = runs[2];
        Assert.Contains("offline/procedural · 1024x1024 png ×1", seeded, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"lineage\"", seeded, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"run-inputs\"", seeded, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"run-retry\"", seeded, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Generate")]
    [InlineData("Finalize")]
    [InlineData("MoreLikeThis")]
    [InlineData("UploadReference")]
    [InlineData("RemoveReference")]
    [InlineData("Export")]
    [InlineData("Star")]
    public async Task EveryForm_OnAnItemThatIsNotThere_Is404_AndChangesNothing(string handler)
    {
        var (web, client, database) = await WebTestHost.StartAsync(runs: 1);
        await using var _ = web;
        using var __ = client;

        using var response = await Forms.PostAsync(client, Page, new Dictionary<string, string>
        {
            ["imageId"] = "1", ["starred"] = "true", ["assetId"] = "1", ["idempotencyKey"] = "k", ["Generate.Models"] = "offline/procedural",
        }, $"/projects/launch/items/gone?handler={handler}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var (jobs, starred, finals) = await database.ReadAsync(c => c.QuerySingleAsync<(long, long, long)>(
            "SELECT (SELECT count(*) FROM jobs), (SELECT count(*) FROM run_images WHERE starred = 1), (SELECT count(*) FROM finals)"));
        Assert.Equal((1L, 0L, 0L), (jobs, starred, finals));
    }

    [Theory]
    [InlineData("Star", "?starred=true&before=5&brand=pass&sort=brand", "?starred=true&before=5&brand=pass&sort=brand#image-1")]
    [InlineData("Finalize", "?before=5&sort=brand", "?before=5&sort=brand")]
    [InlineData("RemoveReference", "?starred=true&before=5", "#references")]
    [InlineData("MoreLikeThis", "?brand=pass", "")]
    public async Task EveryForm_ReturnsToTheItem_KeepingTheViewOnlyWhereItShould(string handler, string query, string expected)
    {
        var (web, client, _) = await WebTestHost.StartAsync(runs: 1);
        await using var _web = web;
        using var __ = client;

        using var response = await Forms.PostAsync(client, Page, new Dictionary<string, string>
        {
            ["imageId"] = "1", ["starred"] = "true", ["assetId"] = "999", ["idempotencyKey"] = "k",
        }, $"{Page}{query}&handler={handler}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Page + expected, response.Headers.Location!.OriginalString);
    }
}
