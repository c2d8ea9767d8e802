using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageGen.EndToEndTests;

/// <summary>What several journeys do the same way, done as a user does it: through the visible controls.</summary>
public static partial class UserActions
{
    /// <summary>Pauses or resumes the queue from the jobs page, as a user would.</summary>
    public static async Task SetQueueAsync(IPage page, bool paused)
    {
        if (!page.Url.EndsWith("/jobs", StringComparison.Ordinal))
        {
            await page.GotoAsync("/jobs");
        }
        await page.GetByRole(AriaRole.Button, new() { Name = paused ? "Pause queue" : "Resume queue" }).ClickAsync();
        await Expect(page.GetByTestId("queue-control")).ToContainTextAsync(paused ? "paused" : "running");
    }

    /// <summary>Fills the work item's generate form with one model and a count, and submits it.</summary>
    public static async Task GenerateAsync(IPage page, string model, int count)
    {
        await page.GetByLabel("Models").SelectOptionAsync(model);
        await page.GetByLabel("Count").FillAsync(count.ToString(CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();
    }

    /// <summary>Opens a candidate's "More" menu (more like this, info, download), as a click on it does.</summary>
    public static async Task OpenCandidateMenuAsync(ILocator candidate)
    {
        await candidate.Locator("details.menu > summary").ClickAsync();
        await Expect(candidate.Locator("details.menu .menu-panel")).ToBeVisibleAsync();
    }

    /// <summary>A link or heading naming a job: "Job #12", "job #12".</summary>
    [GeneratedRegex(@"^job #\d+", RegexOptions.IgnoreCase)]
    public static partial Regex JobLink();
}
