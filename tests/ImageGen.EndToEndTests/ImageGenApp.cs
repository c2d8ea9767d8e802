using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ImageGen.Testing;
using Microsoft.Playwright;

namespace ImageGen.EndToEndTests;

/// <summary>
/// The product as a user runs it: the real AppHost (web, worker, CLI) on a fresh data folder, plus one headless
/// Chromium. The compatible-server model points at a loopback port nothing listens on, so a job can fail for real.
/// Shared by the tests of a class; each test opens its own browser context.
/// </summary>
public sealed class ImageGenApp : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly ImageGen.Testing.TempDirectory data = new("e2e");
    private DistributedApplication? app;
    private IPlaywright? playwright;

    public Uri WebUrl { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The address the compat/ model is configured with; nothing answers there.</summary>
    public string DeadCompatServer { get; } = $"http://127.0.0.1:{Ports.Closed()}/";

    public string DataPath => data.Path;

    /// <summary>From nothing to Chromium launched and web and worker healthy.</summary>
    public TimeSpan StartupTime { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The browser first: without it there is nothing to test, and its message should not wait for the AppHost.
        playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(playwright);

        var cancellationToken = TestContext.Current.CancellationToken;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ImageGen_AppHost>(
            [$"--Parameters:data-dir={data.Path}", $"--IMAGEGEN_COMPAT_BASE_URL={DeadCompatServer}"],
            (options, _) => options.DisableDashboard = true,
            cancellationToken);
        app = await builder.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("worker", cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("web", cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        WebUrl = app.GetEndpoint("web", "http");
        StartupTime = clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
        data.Dispose();
    }
}
