using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using ImageGen.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageGen.EndToEndTests;

/// <summary>
/// Images into the model, in headless Chromium against the real AppHost: a logo and two style images uploaded to a brand,
/// chosen on a work item, a transparent icon generated with them on the offline model, "more like this" as
/// image-to-image, and the history and the export naming every image that went in by hash.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class ReferenceJourney(ImageGenApp app, ITestOutputHelper output) : IClassFixture<ImageGenApp>
{
    private static readonly LocatorAssertionsToHaveCountOptions JobTimeout = new() { Timeout = 120_000 };

    private static FilePayload Png(string name, int seed) => new() { Name = name, MimeType = "image/png", Buffer = HostileImages.NoisyPng(96, 96, seed) };

    [Fact]
    public async Task BrandAssets_IntoATransparentIcon_AndMoreLikeThisFromACandidate()
    {
        await using var journey = await Journey.StartAsync(app.Browser, app.WebUrl, "references");
        FilePayload[] uploads = [Png("harbor-logo.png", 1), Png("rope-texture.png", 2), Png("dusk-photo.png", 3)];
        string[] roles = ["logo", "style", "style"];

        await journey.StepAsync("write a brand", async p =>
        {
            await p.GotoAsync("/brands/new");
            await p.GetByLabel("Name").FillAsync("Harbor Marks");
            await p.GetByLabel("Style guide (Markdown)").FillAsync("# Harbor Marks\n\nFlat shapes, deep sea #1f3a5f and copper #c2410c.");
            await p.GetByRole(AriaRole.Button, new() { Name = "Create brand" }).ClickAsync();
            await Expect(p.GetByRole(AriaRole.Heading, new() { Name = "Harbor Marks", Level = 1 })).ToBeVisibleAsync();
            await Expect(p.GetByRole(AriaRole.Main)).ToContainTextAsync("No assets yet.");
        });

        for (var i = 0; i < uploads.Length; i++)
        {
            var (upload, role, count) = (uploads[i], roles[i], i + 1);
            await journey.StepAsync($"upload {upload.Name} as {role}", async p =>
            {
                await p.GetByLabel("Image", new() { Exact = true }).SetInputFilesAsync(upload);
                await p.GetByLabel("Role").SelectOptionAsync(role);
                await p.GetByRole(AriaRole.Button, new() { Name = "Upload asset" }).ClickAsync();
                await Expect(p.GetByRole(AriaRole.Main)).ToContainTextAsync($"'{upload.Name}' added as {role} (96×96 png).");
                await Expect(p.GetByTestId("asset")).ToHaveCountAsync(count);
            });
        }

        await journey.StepAsync("a text file named .png is refused", async p =>
        {
            await p.GetByLabel("Image", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "notes.png", MimeType = "image/png", Buffer = "not an image"u8.ToArray() });
            await p.GetByRole(AriaRole.Button, new() { Name = "Upload asset" }).ClickAsync();
            await Expect(p.GetByRole(AriaRole.Main)).ToContainTextAsync("'notes.png' is a text file, not a PNG, JPEG or WebP image.");
            await Expect(p.GetByTestId("asset")).ToHaveCountAsync(3);
        });

        await journey.StepAsync("make a project and an icon work item", async p =>
        {
            await p.GotoAsync("/projects/new");
            await p.GetByLabel("Name").FillAsync("Harbor icons");
            await p.GetByLabel("Default brand").SelectOptionAsync(new SelectOptionValue { Label = "Harbor Marks" });
            await p.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
            await p.GetByRole(AriaRole.Link, new() { Name = "New work item" }).First.ClickAsync();
            await p.GetByLabel("Name").FillAsync("App icon");
            await p.GetByLabel("Type").SelectOptionAsync("icon");
            await p.GetByLabel("Prompt").FillAsync("A lighthouse mark");
            await p.GetByRole(AriaRole.Button, new() { Name = "Create work item" }).ClickAsync();
            await Expect(p.GetByTestId("reference-choice")).ToHaveCountAsync(3);
        });
        var itemUrl = journey.Page.Url;

        await journey.StepAsync("choose the three references and a transparent background, generate 2", async p =>
        {
            foreach (var upload in uploads)
            {
                await p.GetByTestId("reference-choice").Filter(new() { HasText = upload.Name }).GetByRole(AriaRole.Checkbox).CheckAsync();
            }
            await p.GetByLabel("Background").SelectOptionAsync("transparent");
            await UserActions.GenerateAsync(p, "offline/procedural", 2);
            await Expect(p.GetByTestId("candidate")).ToHaveCountAsync(2, JobTimeout);
            var run = p.GetByTestId("run").First;
            await Expect(run.GetByTestId("run-reference")).ToHaveCountAsync(3);
            await Expect(run.GetByTestId("run-inputs")).ToContainTextAsync("background transparent");
            await Expect(p.GetByTestId("candidate-warning")).ToHaveCountAsync(0); // the offline model honoured it
        });

        await journey.StepAsync("more like the first candidate, as image-to-image", async p =>
        {
            var first = p.GetByTestId("candidate").First;
            var id = (await first.GetAttributeAsync("id"))!["image-".Length..];
            await UserActions.OpenCandidateMenuAsync(first);
            await first.GetByRole(AriaRole.Button, new() { Name = "More like this" }).ClickAsync();
            await Expect(p.GetByRole(AriaRole.Main)).ToContainTextAsync($"more like image #{id} (image-to-image)");
            await Expect(p.GetByTestId("run")).ToHaveCountAsync(2, new() { Timeout = 120_000 });
            var newest = p.GetByTestId("run").First;
            await Expect(newest).ToContainTextAsync("succeeded", new() { Timeout = 120_000 });
            await Expect(newest.GetByTestId("lineage")).ToContainTextAsync($"Image-to-image from image #{id}");
            await Expect(newest.GetByTestId("run-source")).ToContainTextAsync($"from image #{id}");
            await Expect(newest.GetByTestId("run-reference")).ToHaveCountAsync(3);
        });

        await journey.StepAsync("what changed shows the source image", async p =>
        {
            await p.GetByRole(AriaRole.Link, new() { Name = "What changed" }).ClickAsync();
            await Expect(p.GetByRole(AriaRole.Main)).ToContainTextAsync("source");
        });

        var zipPath = Path.Combine(journey.Folder, "export.zip");
        await journey.StepAsync("export and download the bundle", async p =>
        {
            await p.GotoAsync(itemUrl);
            await p.GetByRole(AriaRole.Button, new() { Name = "Export bundle" }).ClickAsync();
            var download = await p.RunAndWaitForDownloadAsync(() => p.GetByTestId("export-link").ClickAsync());
            await download.SaveAsAsync(zipPath);
        });

        foreach (var (what, url) in new[] { ("work item", itemUrl), ("brand", $"{app.WebUrl.ToString().TrimEnd('/')}/brands/harbor-marks") })
        {
            await journey.StepAsync($"the {what} page at phone width", async p =>
            {
                await p.SetViewportSizeAsync(390, 844);
                await p.GotoAsync(url);
                // Nothing wider than the screen: the grids and the upload form wrap.
                Assert.True(await p.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
                    $"the {what} page scrolls sideways at 390 px");
            });
        }
        await journey.Page.SetViewportSizeAsync(1280, 800);

        using (var zip = ZipFile.OpenRead(zipPath))
        {
            var hashes = uploads.Select(u => Convert.ToHexStringLower(SHA256.HashData(u.Buffer))).ToList();
            var names = zip.Entries.Select(e => e.FullName).ToList();
            output.WriteLine($"Export entries: {string.Join(", ", names)}");
            Assert.All(hashes, h => Assert.Contains($"references/{h}.png", names));
            using var metadata = JsonDocument.Parse(zip.GetEntry("metadata.json")!.Open());
            var runs = metadata.RootElement.GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal(2, runs.Count);
            Assert.All(runs, r => Assert.Equal(hashes.Order(), r.GetProperty("references").EnumerateArray().Select(x => x.GetProperty("sha256").GetString()!).Order()));
            Assert.Single(runs, r => r.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.Object);
        }
        journey.AssertNoProblems(output);
    }
}
