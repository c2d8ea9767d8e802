using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageGen.EndToEndTests;

/// <summary>
/// The image-first interface at the widths people use it (390, 1280 and 1920 px): every page is visited at each width,
/// photographed, checked by axe-core, and checked for anything wider than the screen and for captions lying on images;
/// then once more in dark mode, for axe's contrast check.
/// Then a work item is reviewed from the keyboard alone: open a candidate in the viewer, move through the candidates,
/// star one, make one final, compare from the viewer and pick with the arrow keys (the next pair comes without a reload),
/// and close back to the gallery.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed partial class GalleryJourney(ImageGenApp app, ITestOutputHelper output) : IClassFixture<ImageGenApp>
{
    private static readonly LocatorAssertionsToHaveCountOptions JobTimeout = new() { Timeout = 120_000 };

    public static readonly int[] Widths = [390, 1280, 1920];

    /// <summary>
    /// Elements that stick out of the viewport sideways, ignoring what sits inside a scrolling or clipping container
    /// (a wide table's scroller, a zoomed image's frame) and what is hidden; and captions that overlap an image of their figure.
    /// </summary>
    private const string LayoutProblemsScript = """
        () => {
          const problems = [];
          const width = document.documentElement.clientWidth;
          const clipped = (el) => {
            for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
              const o = getComputedStyle(a).overflowX;
              if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
            }
            return false;
          };
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;
            const style = getComputedStyle(el);
            if (style.visibility === 'hidden' || style.position === 'fixed') continue;
            if ((r.right > width + 1 || r.left < -1) && !clipped(el) && !el.closest('.visually-hidden, .skip')) {
              problems.push(`overflow: ${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} spans ${Math.round(r.left)}–${Math.round(r.right)} of ${width}`);
            }
          }
          if (document.documentElement.scrollWidth > width + 1) problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
          for (const caption of document.querySelectorAll('figure figcaption')) {
            const c = caption.getBoundingClientRect();
            if (c.width === 0 || c.height === 0) continue;
            for (const img of caption.closest('figure').querySelectorAll('img')) {
              const i = img.getBoundingClientRect();
              if (i.width === 0 || i.height === 0 || getComputedStyle(img).visibility === 'hidden' || img.closest('[aria-hidden="true"]')) continue;
              const overlap = Math.min(c.right, i.right) - Math.max(c.left, i.left) > 1 && Math.min(c.bottom, i.bottom) - Math.max(c.top, i.top) > 1;
              if (overlap) problems.push(`caption "${caption.textContent.trim().slice(0, 40)}" lies on an image`);
            }
          }
          return problems.slice(0, 12);
        }
        """;

    [Fact]
    public async Task EveryPage_AtThreeWidths_AndAWorkItemReviewedByKeyboardOnly()
    {
        await using var journey = await Journey.StartAsync(app.Browser, app.WebUrl, "gallery");
        string itemUrl = "";

        await journey.StepAsync("a brand, a project and a work item with two runs", async p =>
        {
            await p.GotoAsync("/brands/new");
            await p.GetByLabel("Name").FillAsync("Quay Studio");
            await p.GetByLabel("Style guide (Markdown)").FillAsync("# Quay Studio\n\n| Role | Hex |\n|---|---|\n| Ink | #1f3a5f |\n| Copper | #c2410c |\n\nCalm, flat shapes.\n\n## Rules\n- Hero aspect: 16:9\n- Avoid: #00ff00");
            await Expect(p.GetByTestId("brand-preview").GetByTestId("palette-colour")).ToHaveCountAsync(2); // the live preview
            await p.GetByRole(AriaRole.Button, new() { Name = "Create brand" }).ClickAsync();
            await p.GotoAsync("/projects/new");
            await p.GetByLabel("Name").FillAsync("Quay launch");
            await p.GetByLabel("Default brand").SelectOptionAsync(new SelectOptionValue { Label = "Quay Studio" });
            await p.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
            await p.GetByRole(AriaRole.Link, new() { Name = "New work item" }).First.ClickAsync();
            await p.GetByLabel("Name").FillAsync("Launch hero");
            await p.GetByLabel("Type").SelectOptionAsync("hero");
            await p.GetByLabel("Prompt").FillAsync("A quay at dawn, boats moored");
            await p.GetByRole(AriaRole.Button, new() { Name = "Create work item" }).ClickAsync();
            await UserActions.GenerateAsync(p, "offline/procedural", 4);
            await Expect(p.GetByTestId("candidate")).ToHaveCountAsync(4, JobTimeout);
            await p.GetByLabel("Size (W×H)").FillAsync("1280x720");
            await UserActions.GenerateAsync(p, "offline/procedural", 3);
            await Expect(p.GetByTestId("candidate")).ToHaveCountAsync(7, JobTimeout);
            await Expect(p.GetByTestId("run").First).ToContainTextAsync("succeeded", JobTimeoutText);
        });
        itemUrl = journey.Page.Url;

        await journey.StepAsync("every candidate carries its brand check; sorted by brand score, best first", async p =>
        {
            // The guide asks 16:9 for heroes: the four 1024x1024 candidates fail on aspect, a reason anyone can check by
            // eye. (The 1280x720 ones pass that; their palette score depends on the random seed, so it is not asserted.)
            await Expect(p.GetByTestId("brand-badge")).ToHaveCountAsync(7);
            var square = p.Locator("[data-testid=brand-badge][title*='Aspect ratio: 1024x1024 is 1:1; the brand allows 16:9 for heroes']");
            await Expect(square).ToHaveCountAsync(4);
            for (var i = 0; i < 4; i++)
            {
                await Expect(square.Nth(i)).ToHaveAttributeAsync("data-verdict", "fail");
            }
            await p.GetByLabel("Order").SelectOptionAsync("brand");
            await p.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await Expect(p.GetByRole(AriaRole.Heading, new() { Name = "Candidates by brand score" })).ToBeVisibleAsync();
            await Expect(p.GetByTestId("candidate")).ToHaveCountAsync(7);
            var severity = new Dictionary<string, int> { ["pass"] = 0, ["warn"] = 1, ["fail"] = 2, ["unchecked"] = 3 };
            var verdicts = await p.Locator("[data-testid=candidate] [data-testid=brand-badge]").EvaluateAllAsync<string[]>("badges => badges.map(b => b.dataset.verdict)");
            Assert.Equal(verdicts.OrderBy(v => severity[v]), verdicts); // best first: no verdict before a better one
            await p.GetByTestId("candidate").Nth(0).GetByRole(AriaRole.Link).First.ClickAsync();
            await Expect(p.GetByTestId("brand-check")).ToContainTextAsync("Aspect ratio");
            await p.GotoAsync(itemUrl);
        });
        var firstImage = (await journey.Page.GetByTestId("candidate").First.GetAttributeAsync("id"))!["image-".Length..];

        await journey.StepAsync("a form sent with no model is refused, the error linked to the field", async p =>
        {
            await p.GetByLabel("Models").SelectOptionAsync(Array.Empty<string>());
            await p.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();
            var models = p.GetByLabel("Models");
            await Expect(models).ToHaveAttributeAsync("aria-invalid", "true");
            var describedBy = await models.GetAttributeAsync("aria-describedby") ?? "";
            var errorId = describedBy.Split(' ').Last();
            await Expect(p.Locator($"#{errorId}")).ToHaveTextAsync("Choose at least one model.");
            await Expect(p.GetByTestId("candidate")).ToHaveCountAsync(7); // nothing queued
        });

        string[] pages =
        [
            "/", "/brands", "/brands/quay-studio", "/brands/quay-studio/edit", "/projects", "/projects/quay-launch",
            itemUrl, $"/images/{firstImage}/view", $"{itemUrl}/compare", $"{itemUrl}/ranking", $"{itemUrl}/diff",
            "/jobs", "/jobs/1", "/search?q=quay", "/queue", "/brands/new", "/projects/new", "/projects/quay-launch/items/new",
            $"{itemUrl}/edit", $"/images/{firstImage}/info", $"{itemUrl}?sort=brand", "/brands/quay-studio/insights",
        ];
        Assert.Equal(22, pages.Length); // docs/WEB.md and TESTING.md say "22 pages"
        foreach (var width in Widths)
        {
            foreach (var url in pages)
            {
                await journey.StepAsync($"{width} px {Label(url)}", async p =>
                {
                    await p.SetViewportSizeAsync(width, 900);
                    await p.GotoAsync(url);
                    await p.WaitForLoadStateAsync(LoadState.NetworkIdle);
                    var problems = await p.EvaluateAsync<string[]>(LayoutProblemsScript);
                    Assert.True(problems.Length == 0, $"{url} at {width} px:\n" + string.Join("\n", problems));
                });
            }
        }
        await journey.Page.SetViewportSizeAsync(1280, 900);

        // Dark mode follows the system setting: the same pages with a dark scheme, for axe's contrast check.
        await journey.Page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        foreach (var url in pages)
        {
            await journey.StepAsync($"dark {Label(url)}", p => p.GotoAsync(url));
        }
        await journey.Page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });

        await journey.StepAsync("the gallery shows images at least twice as wide as the old 190 px cards at 1280 px", async p =>
        {
            await p.GotoAsync(itemUrl);
            var width = await p.GetByTestId("candidate").First.Locator("img").EvaluateAsync<double>("img => img.getBoundingClientRect().width");
            output.WriteLine($"Candidate image width at 1280 px: {width:0} px");
            Assert.True(width >= 380, $"the candidate images are {width:0} px wide");
        });

        await journey.StepAsync("open a candidate in the viewer with the keyboard", async p =>
        {
            await p.GotoAsync(itemUrl);
            for (var i = 0; i < 80 && !await FocusedIsCandidateLinkAsync(p); i++)
            {
                await p.Keyboard.PressAsync("Tab");
            }
            Assert.True(await FocusedIsCandidateLinkAsync(p), "Tab never reached a candidate");
            await p.Keyboard.PressAsync("Enter");
            await Expect(p.GetByTestId("viewer")).ToBeVisibleAsync();
            await Expect(p).ToHaveURLAsync(ViewerUrl());
        });

        await journey.StepAsync("move with the arrow keys, star with S, make final with F", async p =>
        {
            var start = p.Url;
            await p.Keyboard.PressAsync("ArrowRight");
            await Expect(p).Not.ToHaveURLAsync(start);
            await Expect(p.GetByTestId("viewer-image")).ToBeVisibleAsync();
            await p.Keyboard.PressAsync("ArrowLeft");
            await Expect(p).ToHaveURLAsync(start);
            await p.Keyboard.PressAsync("s");
            await Expect(p.GetByRole(AriaRole.Button, new() { Name = "Star image", Pressed = true })).ToBeVisibleAsync();
            await p.Keyboard.PressAsync("f");
            await Expect(p.GetByTestId("final-badge")).ToBeVisibleAsync();
            await Expect(p.GetByRole(AriaRole.Main)).ToContainTextAsync("is now the final");
        });

        await journey.StepAsync("compare from the viewer with C and pick by keyboard, without a reload", async p =>
        {
            var viewed = Regex.Match(p.Url, @"/images/(\d+)/view").Groups[1].Value;
            await p.Keyboard.PressAsync("c");
            await Expect(p.GetByTestId("pair")).ToBeVisibleAsync();
            Assert.Equal($"/images/{viewed}", await p.GetByTestId("left").GetAttributeAsync("src"));
            await p.EvaluateAsync("() => { window.__sameDocument = true; }");
            await p.Keyboard.PressAsync("ArrowLeft");
            await Expect(p.GetByRole(AriaRole.Main)).ToContainTextAsync("1 pick(s) so far");
            await p.Keyboard.PressAsync("ArrowRight");
            await Expect(p.GetByRole(AriaRole.Main)).ToContainTextAsync("2 pick(s) so far");
            Assert.True(await p.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded between picks");
            await p.Keyboard.PressAsync("o");
            await Expect(p.GetByRole(AriaRole.Button, new() { Name = "Overlay", Pressed = true })).ToBeVisibleAsync();
            await p.Keyboard.PressAsync("z");
            await Expect(p.GetByRole(AriaRole.Button, new() { Name = "100 %", Pressed = true })).ToBeVisibleAsync();
            var problems = await p.EvaluateAsync<string[]>(LayoutProblemsScript);
            Assert.True(problems.Length == 0, string.Join("\n", problems));
        });

        await journey.StepAsync("close the viewer with Esc, back to the candidate in the gallery", async p =>
        {
            await p.GotoAsync($"/images/{firstImage}/view");
            await p.Keyboard.PressAsync("Escape");
            await Expect(p).ToHaveURLAsync(new Regex($"{Regex.Escape(itemUrl)}#image-{firstImage}$"));
            await Expect(p.Locator(".candidate.is-final")).ToHaveCountAsync(1);
            await Expect(p.Locator(".candidate.is-final").GetByRole(AriaRole.Button, new() { Name = "Make final" })).ToHaveCountAsync(0);
        });

        await journey.StepAsync("the brand's insights count the picks just made, by model and by verdict", async p =>
        {
            await p.GotoAsync("/brands/quay-studio/insights");
            await Expect(p.GetByTestId("insight-picks")).ToContainTextAsync("From 2 pick(s)");
            await Expect(p.GetByTestId("insight-models")).ToContainTextAsync("offline/procedural");
            await Expect(p.GetByTestId("insight-models")).ToContainTextAsync("2 of 4");
            await Expect(p.GetByTestId("insight-verdicts")).ToBeVisibleAsync();
            var problems = await p.EvaluateAsync<string[]>(LayoutProblemsScript);
            Assert.True(problems.Length == 0, string.Join("\n", problems));
        });

        journey.AssertNoProblems(output);
    }

    private static readonly LocatorAssertionsToContainTextOptions JobTimeoutText = new() { Timeout = 120_000 };

    private static Task<bool> FocusedIsCandidateLinkAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => !!document.activeElement && document.activeElement.matches('.candidate > a')");

    [GeneratedRegex(@"/images/\d+/view$")]
    private static partial Regex ViewerUrl();

    private static string Label(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : url;
        return path == "/" ? "dashboard" : path.Trim('/').Replace('/', ' ').Replace('?', ' ');
    }
}
