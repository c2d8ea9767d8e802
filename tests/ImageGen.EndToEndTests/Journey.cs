using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace ImageGen.EndToEndTests;

/// <summary>
/// A user's walk through the app in one browser context, step by step. After each step: a full-page screenshot
/// and an axe-core check of the page it ended on. When a step fails: a screenshot, the page's HTML and the console
/// log so far, all under <see cref="Folder"/> (the test results folder), and the error names them.
/// </summary>
public sealed class Journey : IAsyncDisposable
{
    private readonly IBrowserContext context;
    private readonly List<string> console = [];
    private readonly List<(string Step, string Url, IReadOnlyList<AxeViolation> Violations)> accessibility = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int step;

    private Journey(IBrowserContext context, IPage page, string folder)
    {
        this.context = context;
        Page = page;
        Folder = folder;
        Watch(page);
    }

    public IPage Page { get; }

    /// <summary>Screenshots, downloads and failure evidence of this journey.</summary>
    public string Folder { get; }

    public IReadOnlyList<string> ConsoleLog => console;

    /// <summary>Opens a fresh browser context (no cookies, downloads accepted) at the app's address.</summary>
    public static async Task<Journey> StartAsync(IBrowser browser, Uri baseUrl, string name)
    {
        // Microsoft.Testing.Platform's results folder is TestResults beside the test assembly.
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "journeys", name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
        });
        // Generous bounds: jobs run real child processes, and CI machines are slow. Waits end as soon as they can.
        context.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(60_000);
        var page = await context.NewPageAsync();
        return new Journey(context, page, folder);
    }

    /// <summary>A second tab in the same session, as a user opens one to do something beside the page they watch.</summary>
    public async Task<IPage> NewTabAsync()
    {
        var tab = await context.NewPageAsync();
        Watch(tab);
        return tab;
    }

    /// <summary>Runs one step on the main page, then records and checks what the page shows.</summary>
    public Task StepAsync(string name, Func<IPage, Task> action) => StepAsync(name, Page, action);

    public async Task StepAsync(string name, IPage page, Func<IPage, Task> action)
    {
        var label = $"{++step:00}-{Slug(name)}";
        var started = clock.Elapsed;
        try
        {
            await action(page);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, label + ".png"), FullPage = true });
            accessibility.Add((name, page.Url, await Accessibility.SeriousViolationsAsync(page)));
        }
        catch (Exception e)
        {
            var evidence = await SaveEvidenceAsync(page, label);
            throw new JourneyStepException($"Step \"{name}\" failed on {page.Url}: {e.Message}\nEvidence: {evidence}", e);
        }
        finally
        {
            console.Add($"[{clock.Elapsed:mm\\:ss\\.f}] step {label} took {(clock.Elapsed - started).TotalSeconds:0.0} s");
        }
    }

    /// <summary>Every serious or critical axe-core finding of the journey's pages, one line each.</summary>
    public IReadOnlyList<string> AccessibilityProblems() =>
        accessibility.SelectMany(a => a.Violations.Select(v => $"{a.Step} ({a.Url}): {v}")).ToList();

    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>
    /// Writes the journey's time and console to the test output, then fails on any serious or critical axe-core
    /// finding and on any console error (uncaught exceptions, CSP refusals and failed loads all land there).
    /// </summary>
    public void AssertNoProblems(ITestOutputHelper output)
    {
        output.WriteLine($"Journey took {Elapsed.TotalSeconds:0.0} s; screenshots and logs in {Folder}");
        foreach (var line in console)
        {
            output.WriteLine(line);
        }
        var problems = AccessibilityProblems();
        Assert.True(problems.Count == 0, "Serious or critical accessibility violations:\n" + string.Join("\n", problems));
        var errors = console.Where(l => l.Contains("] pageerror: ", StringComparison.Ordinal) || l.Contains("] error: ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, "The pages logged errors:\n" + string.Join("\n", errors));
    }

    public async ValueTask DisposeAsync()
    {
        await File.WriteAllLinesAsync(Path.Combine(Folder, "console.log"), console);
        await File.WriteAllTextAsync(Path.Combine(Folder, "accessibility.json"), JsonSerializer.Serialize(
            accessibility.Select(a => new { a.Step, a.Url, a.Violations }), new JsonSerializerOptions { WriteIndented = true }));
        await context.DisposeAsync();
    }

    private void Watch(IPage page)
    {
        page.Console += (_, message) => console.Add($"[{clock.Elapsed:mm\\:ss\\.f}] {message.Type}: {message.Text} ({page.Url})");
        page.PageError += (_, error) => console.Add($"[{clock.Elapsed:mm\\:ss\\.f}] pageerror: {error} ({page.Url})");
    }

    private async Task<string> SaveEvidenceAsync(IPage page, string label)
    {
        var saved = new List<string>();
        try
        {
            var png = Path.Combine(Folder, label + "-failed.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = png, FullPage = true, Timeout = 10_000 });
            saved.Add(png);
            var html = Path.Combine(Folder, label + "-failed.html");
            await File.WriteAllTextAsync(html, await page.ContentAsync());
            saved.Add(html);
        }
        catch (PlaywrightException e)
        {
            saved.Add($"(the page could not be captured: {e.Message})");
        }
        var log = Path.Combine(Folder, label + "-console.log");
        await File.WriteAllLinesAsync(log, console);
        saved.Add(log);
        return string.Join(", ", saved);
    }

    private static string Slug(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.ToLower(CultureInfo.InvariantCulture))
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }
        return builder.ToString().Trim('-');
    }
}

public sealed class JourneyStepException(string message, Exception inner) : Exception(message, inner);
