using Microsoft.Playwright;

namespace ImageGen.EndToEndTests;

/// <summary>
/// Debian's Chromium, driven by Playwright. Playwright's own browser download does not work on a closed network, so
/// the tests use the system browser; when it is missing they fail (never skip) and say how to install it.
/// </summary>
public static class Chromium
{
    /// <summary>Where the browser is: <c>IMAGEGEN_CHROMIUM</c>, else Debian's <c>/usr/bin/chromium</c>.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("IMAGEGEN_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    // Without the background-networking flags Chromium keeps dialling Google's hosts, which a closed network refuses.
    private static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"The end-to-end tests need Chromium, and there is none at {ExecutablePath}. " +
                "Install it with `sudo apt-get update && sudo apt-get install -y chromium` (Debian/Ubuntu; `.ci/run` does this itself), " +
                "or point IMAGEGEN_CHROMIUM at a Chromium or Chrome binary. Do not run `playwright install`: it downloads a browser.");
        }
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Args,
        });
    }
}
