using System.Text.Json;
using ImageGen.Testing;
using Microsoft.Playwright;

namespace ImageGen.EndToEndTests;

/// <summary>One axe-core finding, as the journey reports it.</summary>
public sealed record AxeViolation(string Id, string Impact, string Help, string HelpUrl, string[] Targets)
{
    public override string ToString() => $"{Impact}: {Id} ({Help}) at {string.Join(", ", Targets)} — {HelpUrl}";
}

/// <summary>
/// axe-core (npm, see package.json) injected into the page under test. It is evaluated through the DevTools
/// protocol, which the page's Content-Security-Policy does not govern, so the app's CSP stays on while it runs.
/// </summary>
public static class Accessibility
{
    private static readonly Lazy<string> Source = new(() =>
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "ImageGen.EndToEndTests", "node_modules", "axe-core", "axe.min.js");
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new FileNotFoundException($"axe-core is missing at {path}: building this project runs `npm ci` to install it.", path);
    });

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private const string Run = """
        async () => {
          const result = await axe.run(document, { resultTypes: ['violations'] });
          return JSON.stringify(result.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                         targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')) })));
        }
        """;

    /// <summary>The serious and critical violations on the page as it is now.</summary>
    public static async Task<IReadOnlyList<AxeViolation>> SeriousViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await page.EvaluateAsync(Source.Value);
        }
        var json = await page.EvaluateAsync<string>(Run);
        return JsonSerializer.Deserialize<AxeViolation[]>(json, JsonOptions)!;
    }
}
