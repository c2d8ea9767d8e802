using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using ImageGen.Core.BrandCheck;
using ImageGen.Core.Iteration;
using Microsoft.Extensions.DependencyInjection;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Tests;

/// <summary>The brand check where decisions are made: badges, the filter and the sort, the viewer, ranking, search,
/// the export, the brand page's rules and the insights page.</summary>
public sealed partial class BrandCheckPageFacts
{
    private const string Item = "/projects/launch/items/hero";

    private static BrandCheckResult Result(BrandVerdict verdict, double? score, params CheckLine[] lines) => new()
    {
        Verdict = verdict, Score = score, BrandScore = score, Checks = lines, BrandRevisionId = 1,
        Colours = score is null ? null : [new ColourMatch("#fe5401", 0.8, "#ff5500", 0.9), new ColourMatch("#00ff7f", 0.2, "#ff5500", 58.3)],
    };

    /// <summary>Images 1–4 in runs 1 (revision 1) and 2 (revision 2): pass 92, fail 20, warn 60, not checked.</summary>
    private static async Task<(WebTestHost Web, HttpClient Client)> StartAsync()
    {
        var (web, client, database) = await WebTestHost.StartAsync(runs: 2);
        var checks = new[]
        {
            Result(BrandVerdict.Pass, 92, new CheckLine("Palette", BrandVerdict.Pass, "92/100. Closest: #fe5401 (80%) is ΔE 0.9 from #ff5500.")),
            Result(BrandVerdict.Fail, 20, new CheckLine("Palette", BrandVerdict.Fail, "20/100. Closest: #00ff7f (70%) is ΔE 58.3 from #ff5500.")),
            Result(BrandVerdict.Warn, 60, new CheckLine("Palette", BrandVerdict.Warn, "60/100. Farthest: #00ff7f (40%).")),
            BrandCheckResult.NotChecked("The image could not be read for the brand check: truncated."),
        };
        await database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("""
                INSERT INTO brand_revisions (id, brand_id, revision, name, content_markdown, created_at) VALUES (1, 1, 1, 'Acme', 'Primary #ff5500', 0), (2, 1, 2, 'Acme', 'Primary #ff5500, bolder', 1);
                UPDATE runs SET brand_revision_id = id;
                """, transaction: t);
            for (var i = 0; i < checks.Length; i++)
            {
                await c.ExecuteAsync("UPDATE run_images SET brand_verdict = @Verdict, brand_score = @BrandScore, brand_json = @json WHERE id = @id",
                    new { Verdict = checks[i].Verdict.ToText(), checks[i].BrandScore, json = checks[i].ToJson(), id = i + 1 }, t);
            }
            return 0;
        });
        foreach (var (run, name) in new[] { (1, "01.png"), (1, "02.png"), (2, "01.png"), (2, "02.png") })
        {
            var file = Path.Combine(web.Root.Path, "images", "launch", "hero", $"run-{run}", name);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, [1, 2, 3], TestContext.Current.CancellationToken);
        }
        return (web, client);
    }

    [GeneratedRegex("id=\"image-(\\d+)\" class=\"candidate")]
    private static partial Regex CandidateId();

    private static List<int> Order(string html) => CandidateId().Matches(html).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    [Fact]
    public async Task EveryCandidate_ShowsItsBadge_WithTheReasonsOnHover()
    {
        var (web, client) = await StartAsync();
        await using var _web = web;

        var html = await Forms.GetPageAsync(client, Item);

        Assert.Contains("class=\"badge brand-badge brand-pass\" title=\"Palette: 92/100. Closest: #fe5401 (80%) is &#x394;E 0.9 from #ff5500.\"", html, StringComparison.Ordinal);
        Assert.Contains(">Off brand 20<", html, StringComparison.Ordinal);
        Assert.Contains(">Check 60<", html, StringComparison.Ordinal);
        Assert.Contains("title=\"The image could not be read for the brand check: truncated.\" data-testid=\"brand-badge\" data-verdict=\"unchecked\">Not checked<", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SortingByBrandScore_PutsTheBestFirstAndTheUncheckedLast_AndTheFilterKeepsOneVerdict()
    {
        var (web, client) = await StartAsync();
        await using var _web = web;

        Assert.Equal([3, 4, 1, 2], Order(await Forms.GetPageAsync(client, Item))); // the history: newest run first
        var sorted = await Forms.GetPageAsync(client, $"{Item}?sort=brand");
        Assert.Equal([1, 3, 2, 4], Order(sorted));
        Assert.Contains("Candidates by brand score", sorted, StringComparison.Ordinal);
        Assert.Equal([2], Order(await Forms.GetPageAsync(client, $"{Item}?brand=fail")));
        Assert.Equal([4], Order(await Forms.GetPageAsync(client, $"{Item}?brand=unchecked")));

        // The star form keeps the view it was posted from.
        var page = await Forms.GetPageAsync(client, $"{Item}?brand=fail");
        Assert.Matches("action=\"/projects/launch/items/hero\\?(?=[^\"]*handler=Star)(?=[^\"]*brand=fail)[^\"]*\"", page);

        var bad = await Forms.GetPageAsync(client, $"{Item}?brand=perfect");
        Assert.Contains("&#x27;perfect&#x27; is not a brand verdict: choose pass, warn, fail or unchecked.", bad, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\" aria-describedby=\"brand-filter-error\"", bad, StringComparison.Ordinal);
        Assert.Equal([3, 4, 1, 2], Order(bad));
    }

    [Fact]
    public async Task TheViewer_ListsEveryCheck_AndTheColoursFoundBesideTheirNearestPaletteColour()
    {
        var (web, client) = await StartAsync();
        await using var _web = web;

        var html = await Forms.GetPageAsync(client, "/images/2/view");

        Assert.Contains("<strong>Palette</strong><span class=\"visually-hidden\"> (fail)</span>: 20/100. Closest: #00ff7f (70%) is &#x394;E 58.3 from #ff5500.", html, StringComparison.Ordinal);
        Assert.Contains("<code>#00ff7f</code></td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>58.3</td>", html, StringComparison.Ordinal);
        Assert.Contains("The image could not be read for the brand check: truncated.", await Forms.GetPageAsync(client, "/images/4/view"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RankingSearchAndExport_CarryTheBrandCheck()
    {
        var (web, client) = await StartAsync();
        await using var _web = web;

        var ranking = await Forms.GetPageAsync(client, $"{Item}/ranking");
        Assert.Contains("<td data-testid=\"ranked-brand\"><span class=\"badge brand-badge brand-pass\">On brand 92</span></td>", ranking, StringComparison.Ordinal);

        var search = await Forms.GetPageAsync(client, "/search?brand=pass");
        Assert.Equal(["1"], SearchIds(search));
        Assert.Equal(["1", "3", "2", "4"], SearchIds(await Forms.GetPageAsync(client, "/search?sort=brand")));
        Assert.Contains("&#x27;nope&#x27; is not a brand verdict", await Forms.GetPageAsync(client, "/search?brand=nope"), StringComparison.Ordinal);

        using var export = await Forms.PostAsync(client, Item, new Dictionary<string, string>(), $"{Item}?handler=Export");
        var zipName = Uri.UnescapeDataString(export.Headers.Location!.OriginalString.Split("export=")[1]);
        using var download = await client.GetAsync($"/exports/{zipName}", TestContext.Current.CancellationToken);
        using var zip = new ZipArchive(await download.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        using var metadata = await JsonDocument.ParseAsync(zip.GetEntry("metadata.json")!.Open(), cancellationToken: TestContext.Current.CancellationToken);
        var candidates = metadata.RootElement.GetProperty("runs").EnumerateArray().SelectMany(r => r.GetProperty("candidates").EnumerateArray()).ToList();
        var first = candidates.Single(c => c.GetProperty("imageId").GetInt64() == 1).GetProperty("brandCheck");
        Assert.Equal("pass", first.GetProperty("verdict").GetString());
        Assert.Equal(92, first.GetProperty("brandScore").GetDouble());
        Assert.Equal("Palette", first.GetProperty("checks")[0].GetProperty("name").GetString());
    }

    private static List<string> SearchIds(string html) =>
        Regex.Matches(html, "data-testid=\"found-candidate\" data-image-id=\"(\\d+)\"").Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public async Task TheBrandPage_ShowsWhatTheCheckReads_AndTheLinesItCouldNot()
    {
        var (web, client) = await StartAsync();
        await using var _web = web;
        await web.Services.GetRequiredService<ImageGen.Core.Storage.Database>().WriteAsync((c, t) => c.ExecuteAsync("""
            UPDATE brands SET content_markdown = @markdown WHERE id = 1
            """, new { markdown = "Primary #ff5500.\n\n## Rules\n- Avoid: #00ff00\n- Icon background: transparent\n- Background: glittery\n" }, t));

        var html = await Forms.GetPageAsync(client, "/brands/acme");

        Assert.Contains("aria-label=\"colour #ff5500\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"avoided colour #00ff00\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-label=\"colour #00ff00\"", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">icon</th>", html, StringComparison.Ordinal);
        Assert.Contains("<li>Background: glittery (a background is transparent, solid or any)</li>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/brands/acme/insights\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insights_CountTheWinsOfChecksModelsAndRevisions_AndClaimOnlyWithEnoughPicks()
    {
        var (web, client) = await StartAsync();
        await using var _web = web;
        var comparisons = web.Services.GetRequiredService<ComparisonStore>();

        // Image 3 (revision 2, palette warn) against image 1 (revision 1, palette pass): 3 wins five picks, 1 wins one.
        for (var i = 0; i < 5; i++)
        {
            await comparisons.RecordAsync(1, 1, 3, 3, i % 2 == 0 ? "Bolder colours, cleaner" : "bolder");
        }
        await comparisons.RecordAsync(1, 1, 3, 1, "calmer");
        var few = await Forms.GetPageAsync(client, "/brands/acme/insights");
        Assert.Contains("From 6 pick(s)", few, StringComparison.Ordinal);
        Assert.Contains("Not enough picks to say: 6 head-to-head pick(s) between the two revisions; 10 are needed.", few, StringComparison.Ordinal);

        for (var i = 0; i < 6; i++)
        {
            await comparisons.RecordAsync(1, 3, 1, 3, "bolder");
        }
        var html = await Forms.GetPageAsync(client, "/brands/acme/insights");

        Assert.Contains("Candidates made under revision 2 won more: 11 of 12 head-to-head picks (92%; p = 0.006).", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Palette</th>\n                    <td>1 of 12 (8%)</td>", html.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">offline/procedural</th><td>12 of 24</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Check</th><td>11 of 12</td>", html, StringComparison.Ordinal);
        Assert.Contains("<li class=\"chip\">bolder <span class=\"muted\">×11</span></li>", html, StringComparison.Ordinal);
        Assert.Contains("<li class=\"chip\">calmer <span class=\"muted\">×1</span></li>", html, StringComparison.Ordinal);

        Assert.Contains("Choose two different revisions", await Forms.GetPageAsync(client, "/brands/acme/insights?from=1&to=1"), StringComparison.Ordinal);
        using var missing = await client.GetAsync("/brands/nobody/insights", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
