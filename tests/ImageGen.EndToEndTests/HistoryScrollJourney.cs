using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageGen.EndToEndTests;

/// <summary>
/// A work item with more candidates than one history page holds (24): the page sends the newest runs only, the older
/// ones arrive as the reader scrolls to them, and a run finishing meanwhile appears at the top, pushed by the server,
/// without losing what was scrolled in. At a phone and a desktop width.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class HistoryScrollJourney(ImageGenApp app, ITestOutputHelper output) : IClassFixture<ImageGenApp>
{
    [Fact]
    public async Task OlderRunsLoadOnScroll_AndANewRunArrivesOnTop()
    {
        await using var journey = await Journey.StartAsync(app.Browser, app.WebUrl, "history-scroll");
        var page = journey.Page;
        var runs = page.Locator("article.run");
        var candidates = page.Locator("figure[data-testid=candidate]");

        await journey.StepAsync("a work item with four runs of eight", async p =>
        {
            await p.GotoAsync("/projects/new");
            await p.GetByLabel("Name").FillAsync("Long history");
            await p.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
            await p.GetByRole(AriaRole.Link, new() { Name = "New work item" }).First.ClickAsync();
            await p.GetByLabel("Name").FillAsync("Many candidates");
            await p.GetByLabel("Prompt").FillAsync("A lighthouse at dusk");
            await p.GetByRole(AriaRole.Button, new() { Name = "Create work item" }).ClickAsync();
            for (var i = 1; i <= 4; i++)
            {
                await UserActions.GenerateAsync(p, "offline/procedural", 8);
                // Each run appears by itself (pushed): no reload between them.
                await Expect(p.Locator("#history article.run")).ToHaveCountAsync(Math.Min(i, 3), new() { Timeout = 60_000 });
                await Expect(p.Locator("#active-jobs li")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
            }
        });

        await journey.StepAsync("reload: the first page holds 24 candidates and links to the older runs", async p =>
        {
            await p.ReloadAsync();
            await p.SetViewportSizeAsync(1280, 900);
            await Expect(p.Locator("#history article.run")).ToHaveCountAsync(3);
            await Expect(p.Locator("#history figure[data-testid=candidate]")).ToHaveCountAsync(24);
        });

        await journey.StepAsync("scroll down: the oldest run arrives, and no Older link is left", async p =>
        {
            await p.Locator("[data-load-more]").ScrollIntoViewIfNeededAsync();
            await Expect(runs).ToHaveCountAsync(4);
            await Expect(candidates).ToHaveCountAsync(32);
            await Expect(p.Locator("[data-load-more] a[rel=next]")).ToHaveCountAsync(0);
            await Expect(p.Locator("#older-runs article.run h3")).ToHaveTextAsync("Run #1");
        });

        await journey.StepAsync("a run queued from another tab arrives on top, and the scrolled-in run stays", async p =>
        {
            var tab = await journey.NewTabAsync();
            await tab.GotoAsync(p.Url);
            await UserActions.GenerateAsync(tab, "offline/procedural", 2);
            // Close only once the POST's redirect has landed: Chromium can drop a close that races a navigation's commit,
            // and Playwright's close then waits forever (microsoft/playwright#41900, #42068). Bounded all the same.
            await Expect(tab.GetByRole(AriaRole.Status)).ToContainTextAsync("Queued job #");
            await tab.WaitForLoadStateAsync(LoadState.Load);
            await tab.CloseAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await Expect(p.Locator("#history article.run").First.Locator("h3")).ToHaveTextAsync("Run #5", new() { Timeout = 60_000 });
            await Expect(p.Locator("#older-runs article.run h3")).ToHaveTextAsync("Run #1");
        });

        await journey.StepAsync("at a phone's width", async p =>
        {
            await p.SetViewportSizeAsync(390, 844);
            await p.ReloadAsync();
            await p.Locator("[data-load-more]").ScrollIntoViewIfNeededAsync();
            await Expect(p.Locator("[data-load-more] a[rel=next]")).ToHaveCountAsync(0);
        });

        journey.AssertNoProblems(output);
    }
}
