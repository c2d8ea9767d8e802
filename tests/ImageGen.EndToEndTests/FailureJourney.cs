using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageGen.EndToEndTests;

/// <summary>
/// When things go wrong, on a fresh AppHost: a job whose model server is down fails after its retries and its page
/// says why; a queued job can be canceled and stays canceled. The compatible-server model points at a loopback port
/// nothing listens on (<see cref="ImageGenApp.DeadCompatServer"/>).
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class FailureJourney(ImageGenApp app, ITestOutputHelper output) : IClassFixture<ImageGenApp>
{
    [Fact]
    public async Task FailingJob_ShowsItsError_AndAQueuedJobCanBeCanceled()
    {
        await using var journey = await Journey.StartAsync(app.Browser, app.WebUrl, "failure-and-cancel");
        var page = journey.Page;
        output.WriteLine($"Chromium and the AppHost (web + worker healthy) started in {app.StartupTime.TotalSeconds:0.0} s");

        await journey.StepAsync("create a project and a work item", async p =>
        {
            await p.GotoAsync("/projects/new");
            await p.GetByLabel("Name").FillAsync("Failure drills");
            await p.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
            await p.GetByRole(AriaRole.Link, new() { Name = "New work item" }).First.ClickAsync();
            await p.GetByLabel("Name").FillAsync("Unreachable server");
            await p.GetByLabel("Prompt").FillAsync("A lighthouse in fog");
            await p.GetByRole(AriaRole.Button, new() { Name = "Create work item" }).ClickAsync();
            await Expect(p.GetByRole(AriaRole.Heading, new() { Name = "Unreachable server", Level = 1 })).ToBeVisibleAsync();
        });
        var itemUrl = page.Url;

        await journey.StepAsync("generate with a compatible server that is down", async p =>
        {
            await UserActions.GenerateAsync(p, "compat/default", 1);
            await p.GetByRole(AriaRole.Link, new() { NameRegex = UserActions.JobLink() }).First.ClickAsync();
            await Expect(p.GetByRole(AriaRole.Heading, new() { NameRegex = UserActions.JobLink() })).ToBeVisibleAsync();
        });

        await journey.StepAsync("the job page shows why it failed", async p =>
        {
            // Refused connections are transient: the worker retries with backoff, then gives up. The page follows live.
            await Expect(p.GetByTestId("job-status")).ToHaveTextAsync("failed", new() { Timeout = 120_000 });
            await Expect(p.GetByTestId("job-error")).ToContainTextAsync("could not be reached");
            await Expect(p.GetByTestId("job-error")).ToContainTextAsync(app.DeadCompatServer.TrimEnd('/'));
            await Expect(p.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeVisibleAsync();
        });

        await journey.StepAsync("the work item is a draft again, its failed runs in the history", async p =>
        {
            await p.GetByRole(AriaRole.Link, new() { Name = "Unreachable server" }).ClickAsync();
            await Expect(p.GetByTestId("item-status")).ToContainTextAsync("status draft");
            await Expect(p.GetByTestId("run")).ToHaveCountAsync(3);
            await Expect(p.GetByTestId("run").First).ToContainTextAsync("could not be reached");
        });

        await journey.StepAsync("pause the queue", p => UserActions.SetQueueAsync(p, paused: true));

        await journey.StepAsync("queue a job that will wait", async p =>
        {
            await p.GotoAsync(itemUrl);
            await UserActions.GenerateAsync(p, "offline/procedural", 1);
            await p.Locator("#active-jobs").GetByRole(AriaRole.Link, new() { NameRegex = UserActions.JobLink() }).ClickAsync();
            await Expect(p.GetByTestId("job-status")).ToHaveTextAsync("queued");
        });

        await journey.StepAsync("cancel the queued job", async p =>
        {
            await p.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Expect(p.GetByTestId("job-status")).ToHaveTextAsync("canceled");
            await Expect(p.GetByRole(AriaRole.Heading, new() { Name = "Canceled", Level = 2 })).ToBeVisibleAsync(); // not "Error"
            await Expect(p.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToHaveCountAsync(0);
        });

        await journey.StepAsync("resume the queue: the canceled job stays canceled", async p =>
        {
            await UserActions.SetQueueAsync(p, paused: false);
            await p.GetByRole(AriaRole.Link, new() { Name = "canceled", Exact = true }).ClickAsync();
            await Expect(p.Locator("#job-list")).ToContainTextAsync("offline/procedural");
        });

        journey.AssertNoProblems(output);
    }
}
