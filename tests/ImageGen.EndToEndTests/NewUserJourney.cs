using System.IO.Compression;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageGen.EndToEndTests;

/// <summary>
/// A new user's first session, in headless Chromium against the real AppHost on an empty data folder: from the
/// dashboard to an exported final image. Each step leaves a screenshot and an accessibility check; see
/// <see cref="Journey"/>.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class NewUserJourney(ImageGenApp app, ITestOutputHelper output) : IClassFixture<ImageGenApp>
{
    private const string Palette = "#1f3a5f, #c2410c, #f4efe6";
    private const string StyleGuide = """
        # Harbor Coffee

        Warm, calm, a little nautical. Photographs over illustrations.

        ## Palette

        - Deep sea `#1f3a5f` for backgrounds
        - Copper #c2410c for accents, never for large areas
        - Foam #f4efe6 for space and text

        ## Never

        - Text inside images
        """;
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private const string Adjustment = "warmer light, more copper";

    /// <summary>Longest a job of the offline model may take here, start to stored files (it takes about a second).</summary>
    private static readonly LocatorAssertionsToHaveCountOptions JobTimeout = new() { Timeout = 120_000 };

    [Fact]
    public async Task NewUser_FromBrandToExportedFinal()
    {
        await using var journey = await Journey.StartAsync(app.Browser, app.WebUrl, "brand-to-export");
        var page = journey.Page;
        output.WriteLine($"Chromium and the AppHost (web + worker healthy) started in {app.StartupTime.TotalSeconds:0.0} s");

        await journey.StepAsync("open the app on an empty data folder", async p =>
        {
            await p.GotoAsync("/");
            await Expect(p.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
            await Expect(p.GetByTestId("worker-status")).ToContainTextAsync("online");
            await Expect(p.GetByTestId("get-started")).ToBeVisibleAsync();
        });

        await journey.StepAsync("follow Write a brand and fill it in", async p =>
        {
            await p.GetByTestId("get-started").GetByRole(AriaRole.Link, new() { Name = "Write a brand" }).ClickAsync();
            await p.GetByLabel("Name").FillAsync("Harbor Coffee");
            await p.GetByLabel("Description").FillAsync("The autumn look of a small roastery by the sea.");
            await p.GetByLabel("Style guide (Markdown)").FillAsync(StyleGuide);
        });

        await journey.StepAsync("save the brand and see its palette", async p =>
        {
            await p.GetByRole(AriaRole.Button, new() { Name = "Create brand" }).ClickAsync();
            await Expect(p.GetByRole(AriaRole.Heading, new() { Name = "Harbor Coffee", Exact = true, Level = 1 })).ToBeVisibleAsync();
            await Expect(p.GetByTestId("palette-colour")).ToHaveTextAsync(Palette.Split(", "));
        });

        await journey.StepAsync("open projects", async p =>
        {
            await p.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Projects" }).ClickAsync();
            await Expect(p.GetByRole(AriaRole.Heading, new() { Name = "Projects", Level = 1 })).ToBeVisibleAsync();
        });

        await journey.StepAsync("fill in a project with the brand as default", async p =>
        {
            await p.GetByRole(AriaRole.Link, new() { Name = "New project" }).ClickAsync();
            await p.GetByLabel("Name").FillAsync("Autumn campaign");
            await p.GetByLabel("Default brand").SelectOptionAsync(new SelectOptionValue { Label = "Harbor Coffee" });
        });

        await journey.StepAsync("save the project", async p =>
        {
            await p.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
            await Expect(p.GetByRole(AriaRole.Heading, new() { Name = "Autumn campaign", Level = 1 })).ToBeVisibleAsync();
            await Expect(p.GetByRole(AriaRole.Main)).ToContainTextAsync("default brand: Harbor Coffee");
        });

        await journey.StepAsync("fill in a work item", async p =>
        {
            await p.GetByRole(AriaRole.Link, new() { Name = "New work item" }).First.ClickAsync();
            await p.GetByLabel("Name").FillAsync("Hero banner");
            await p.GetByLabel("Prompt").FillAsync("A steaming cup of coffee on a harbour wall at dusk");
            await p.GetByLabel("Constraints").FillAsync("no text");
        });

        await journey.StepAsync("save the work item", async p =>
        {
            await p.GetByRole(AriaRole.Button, new() { Name = "Create work item" }).ClickAsync();
            await Expect(p.GetByRole(AriaRole.Heading, new() { Name = "Hero banner", Level = 1 })).ToBeVisibleAsync();
            await Expect(p.GetByTestId("effective-brand")).ToContainTextAsync("Harbor Coffee");
            await Expect(p.GetByTestId("effective-brand")).ToContainTextAsync("the project's default");
            await Expect(p.GetByTestId("item-status")).ToContainTextAsync("status draft");
        });
        var itemUrl = page.Url;

        // To see the job's status change for certain (the offline model takes about a second), the queue is held in a
        // second tab while the job is queued, then let go; the work item's page is never reloaded meanwhile.
        var tab = await journey.NewTabAsync();
        await journey.StepAsync("pause the queue in a second tab", tab, p => UserActions.SetQueueAsync(p, paused: true));

        await journey.StepAsync("generate 4 candidates with the offline model", async p =>
        {
            await UserActions.GenerateAsync(p, "offline/procedural", 4);
            await Expect(p.Locator("#active-jobs")).ToContainTextAsync("queued");
            await p.EvaluateAsync(WatchStatusesScript);
        });

        await journey.StepAsync("resume the queue in the second tab", tab, p => UserActions.SetQueueAsync(p, paused: false));

        await journey.StepAsync("watch the candidates appear without reloading", async p =>
        {
            await p.BringToFrontAsync();
            await Expect(p.GetByTestId("candidate")).ToHaveCountAsync(4, JobTimeout);
            await Expect(p.Locator("#active-jobs li")).ToHaveCountAsync(0);
            var watched = await p.EvaluateAsync<string[]>("() => window.__journeyStatuses");
            output.WriteLine($"Statuses the page showed without a reload: {string.Join(" → ", watched)}");
            Assert.Equal("queued", watched[0]);                     // the marker is still there: the same page, never reloaded
            Assert.Equal("none", watched[^1]);                      // and it saw the job leave "in progress"
            await Expect(p.GetByTestId("run").First).ToContainTextAsync("succeeded");
            await Expect(p.GetByTestId("item-status")).ToContainTextAsync("status review");
        });

        await journey.StepAsync("open compare", async p =>
        {
            await p.GetByRole(AriaRole.Link, new() { Name = "Compare", Exact = true }).ClickAsync();
            await Expect(p.GetByTestId("pair")).ToBeVisibleAsync();
            await Expect(p.GetByRole(AriaRole.Main)).ToContainTextAsync("0 pick(s) so far");
        });

        string[] keys = ["ArrowLeft", "ArrowRight", "ArrowLeft"];
        for (var pick = 1; pick <= keys.Length; pick++)
        {
            var (key, picks) = (keys[pick - 1], pick);
            await journey.StepAsync($"pick {pick} of 3 with {key}", async p =>
            {
                var pair = await PairAsync(p);
                if (picks == 1)
                {
                    // A reason is typed, then Tab leaves the field so the arrow keys pick again.
                    await p.GetByLabel("Why (optional)").FillAsync("warmer, closer to the palette");
                    await p.Keyboard.PressAsync("Tab");
                }
                await p.Keyboard.PressAsync(key);
                await Expect(p.GetByRole(AriaRole.Main)).ToContainTextAsync($"{picks} pick(s) so far");
                Assert.NotEqual(pair, await PairAsync(p));
            });
        }

        await journey.StepAsync("see the ranking", async p =>
        {
            await p.GetByRole(AriaRole.Link, new() { Name = "Ranking" }).ClickAsync();
            await Expect(p.GetByTestId("ranked")).ToHaveCountAsync(4);
            await Expect(p.GetByRole(AriaRole.Main)).ToContainTextAsync("warmer, closer to the palette");
        });

        var starred = "";
        await journey.StepAsync("star the top-ranked candidate", async p =>
        {
            starred = await p.GetByTestId("ranked").First.GetAttributeAsync("data-image-id") ?? throw new InvalidOperationException("The ranking names no image.");
            await p.GotoAsync(itemUrl);
            await p.GetByRole(AriaRole.Button, new() { Name = $"Star image {starred}", Exact = true }).ClickAsync();
            await Expect(p.GetByRole(AriaRole.Button, new() { Name = $"Star image {starred}", Exact = true, Pressed = true })).ToBeVisibleAsync();
        });

        await journey.StepAsync("regenerate from it with an adjustment", async p =>
        {
            await UserActions.OpenCandidateMenuAsync(p.Locator($"#image-{starred}"));
            await p.GetByLabel($"Adjustment for more like image {starred}").FillAsync(Adjustment);
            await p.Locator($"#image-{starred}").GetByRole(AriaRole.Button, new() { Name = "More like this" }).ClickAsync();
            await Expect(p.GetByTestId("run")).ToHaveCountAsync(2, new() { Timeout = 120_000 });
            var newest = p.GetByTestId("run").First;
            await Expect(newest.GetByTestId("lineage")).ToContainTextAsync(Adjustment);
            await Expect(newest).ToContainTextAsync("succeeded", new() { Timeout = 120_000 });
            await Expect(newest.GetByTestId("candidate")).ToHaveCountAsync(4);
        });

        await journey.StepAsync("open what changed", async p =>
        {
            await p.GetByRole(AriaRole.Link, new() { Name = "What changed" }).ClickAsync();
            await Expect(p.GetByTestId("model-diff")).ToHaveTextAsync("Both offline/procedural");
            await Expect(p.GetByTestId("prompt-diff").Locator(".diff-added")).Not.ToHaveCountAsync(0);
            await Expect(p.GetByTestId("prompt-diff").Locator(".diff-removed")).ToHaveCountAsync(0); // an adjustment only adds
            await Expect(p.GetByTestId("prompt-diff").Locator(".diff-added").First).ToBeVisibleAsync();
            Assert.Contains("copper", string.Concat(await p.GetByTestId("prompt-diff").Locator(".diff-added").AllInnerTextsAsync()), StringComparison.Ordinal);
        });

        await journey.StepAsync("make the starred candidate final", async p =>
        {
            await p.GotoAsync(itemUrl);
            await p.Locator($"#image-{starred}").GetByRole(AriaRole.Button, new() { Name = "Make final" }).ClickAsync();
            await Expect(p.GetByTestId("final")).ToContainTextAsync($"Image #{starred}");
            await Expect(p.GetByRole(AriaRole.Main)).ToContainTextAsync("status final");
        });

        await journey.StepAsync("see how the final was made", async p =>
        {
            await p.GetByTestId("final").GetByRole(AriaRole.Link).First.ClickAsync();
            var embedded = p.GetByTestId("embedded-field");
            await Expect(embedded.Filter(new() { HasText = "harbour wall at dusk" }).First).ToBeVisibleAsync();
            await Expect(embedded.Filter(new() { HasText = "offline/procedural" }).First).ToBeVisibleAsync();
            await Expect(p.GetByTestId("image-origin")).ToContainTextAsync("Autumn campaign / Hero banner / run #");
        });

        var zipPath = Path.Combine(journey.Folder, "export.zip");
        await journey.StepAsync("export and download the bundle", async p =>
        {
            await p.GotoAsync(itemUrl);
            await p.GetByRole(AriaRole.Button, new() { Name = "Export bundle" }).ClickAsync();
            var link = p.GetByTestId("export-link");
            await Expect(link).ToBeVisibleAsync();
            var download = await p.RunAndWaitForDownloadAsync(() => link.ClickAsync());
            Assert.Matches(@"^autumn-campaign-hero-banner-\d{8}-\d{6}\.zip$", download.SuggestedFilename);
            await download.SaveAsAsync(zipPath);
        });

        CheckExport(zipPath, long.Parse(starred, System.Globalization.CultureInfo.InvariantCulture));
        journey.AssertNoProblems(output);
    }

    /// <summary>Records, on the work item page, what "In progress" shows each time the live region is swapped.</summary>
    private const string WatchStatusesScript = """
        () => {
          const read = () => {
            const status = document.querySelector('#active-jobs li [class^="status-"]');
            return status ? status.textContent.trim() : 'none';
          };
          window.__journeyStatuses = [read()];
          new MutationObserver(() => {
            const now = read();
            if (window.__journeyStatuses[window.__journeyStatuses.length - 1] !== now) window.__journeyStatuses.push(now);
          }).observe(document.querySelector('main'), { childList: true, subtree: true });
        }
        """;

    private static async Task<string> PairAsync(IPage page) =>
        $"{await page.GetByTestId("left").GetAttributeAsync("src")} | {await page.GetByTestId("right").GetAttributeAsync("src")}";

    private void CheckExport(string zipPath, long finalImageId)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        output.WriteLine($"Export entries: {string.Join(", ", names)}");
        Assert.Contains("metadata.json", names);
        var finalEntry = Assert.Single(zip.Entries, e => e.FullName.StartsWith("final/", StringComparison.Ordinal));
        Assert.Equal("final/hero-banner.png", finalEntry.FullName);
        using (var image = finalEntry.Open())
        {
            Span<byte> signature = stackalloc byte[8];
            image.ReadExactly(signature);
            Assert.True(signature.SequenceEqual(PngSignature), "The final image in the zip is not a PNG.");
        }

        using var metadataStream = zip.GetEntry("metadata.json")!.Open();
        using var metadata = JsonDocument.Parse(metadataStream);
        var root = metadata.RootElement;
        Assert.Equal(finalImageId, root.GetProperty("final").GetProperty("imageId").GetInt64());
        Assert.Equal("A steaming cup of coffee on a harbour wall at dusk", root.GetProperty("workItem").GetProperty("prompt").GetString());
        var brandText = root.GetProperty("brand").GetProperty("text").GetString()!;
        Assert.Contains("#c2410c", brandText, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', brandText);   // the browser sent the textarea with CRLF; stored with LF
        Assert.Equal(3, root.GetProperty("picks").GetArrayLength());
        Assert.Contains(root.GetProperty("picks").EnumerateArray(), p => p.GetProperty("reason").GetString() == "warmer, closer to the palette");
        var runs = root.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        Assert.Contains(runs, r => r.GetProperty("adjustment").GetString() == Adjustment);
        Assert.Equal(8, runs.Sum(r => r.GetProperty("candidates").GetArrayLength()));
        Assert.Contains(runs.SelectMany(r => r.GetProperty("candidates").EnumerateArray()),
            c => c.GetProperty("imageId").GetInt64() == finalImageId && c.GetProperty("starred").GetBoolean());
    }
}
