using System.Diagnostics;
using System.Globalization;
using Dapper;
using ImageGen.Core;
using ImageGen.Core.Storage;
using Microsoft.Playwright;

namespace ImageGen.Bench;

/// <summary>
/// The user's wait, in a real Chromium page: from the generate form's POST to the job's candidates stored (the job's
/// success committed), and to all of them visible on the work item page (every new candidate's image decoded, checked
/// each animation frame). One web app and one worker per build (Release, idle, their own data folder), the builds and
/// the counts taken in turn within each sample, so drift of the machine hits every figure alike.
/// <c>visible [samples] [label=repository-root …]</c>; without builds: this repository's Release build as "this".
/// </summary>
internal static class VisibleLatency
{
    // Runs in every document of the page: once the new candidates (not among those shown before the POST) number the
    // expected count with each image decoded, the time is kept for the bench to read. (Lazy images below the fold
    // never load, so older candidates are not counted.)
    private const string WatchScript = """
        (() => {
          const expected = Number(sessionStorage.getItem("bench-expect") || "0");
          if (!expected) return;
          const old = new Set(JSON.parse(sessionStorage.getItem("bench-old") || "[]"));
          const check = () => {
            const loaded = [...document.querySelectorAll("figure[data-testid=candidate]")]
              .filter((figure) => !old.has(figure.id))
              .map((figure) => figure.querySelector("img"))
              .filter((img) => img && img.complete && img.naturalWidth > 0).length;
            if (loaded >= expected) {
              sessionStorage.setItem("bench-visible", String(Date.now()));
              sessionStorage.removeItem("bench-expect");
              return;
            }
            requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        })();
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var samples = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var n) ? n : 20;
        var builds = args.Where(a => a.Contains('=', StringComparison.Ordinal))
            .Select(a => (Label: a[..a.IndexOf('=', StringComparison.Ordinal)], Root: a[(a.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .DefaultIfEmpty(("this", BenchPaths.Root)).ToList();
        int[] counts = [1, 4];

        var stacks = new List<Stack>();
        try
        {
            foreach (var (label, root) in builds)
            {
                stacks.Add(await Stack.StartAsync(label, root));
            }
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Environment.GetEnvironmentVariable("IMAGEGEN_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            var results = stacks.SelectMany(s => counts.Select(c => (s.Label, Count: c))).ToDictionary(k => k, _ => (Stored: new List<double>(), Visible: new List<double>()));
            foreach (var stack in stacks)
            {
                // One warm-up per build and count: the first request of each page and the first job pay for JIT.
                foreach (var count in counts)
                {
                    await stack.MeasureAsync(browser, count);
                }
            }
            for (var i = 0; i < samples; i++)
            {
                foreach (var stack in stacks)
                {
                    foreach (var count in counts)
                    {
                        var (stored, visible) = await stack.MeasureAsync(browser, count);
                        results[(stack.Label, count)].Stored.Add(stored);
                        results[(stack.Label, count)].Visible.Add(visible);
                    }
                }
            }
            Console.WriteLine($"POST -> stored and POST -> visible, ms (n={samples} each, p50 [min-max])");
            foreach (var ((label, count), (stored, visible)) in results)
            {
                var gap = stored.Zip(visible, (s, v) => v - s).ToList();
                Console.WriteLine($"{label,-8} {count} candidate(s): stored {Describe(stored)}, visible {Describe(visible)}, visible - stored {Describe(gap)}");
            }
            return 0;
        }
        finally
        {
            foreach (var stack in stacks)
            {
                stack.Dispose();
            }
        }
    }

    private static string Describe(List<double> values)
    {
        var sorted = values.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{sorted[(sorted.Count - 1) / 2]:F0} [{sorted[0]:F0}-{sorted[^1]:F0}]");
    }

    /// <summary>A web app and a worker of one build, on their own data folder with one brand, project and work item.</summary>
    private sealed class Stack : IDisposable
    {
        private readonly List<Process> _processes = [];
        private readonly string _dataDirectory;
        private string _webUrl = "";

        private Stack(string label, string dataDirectory)
        {
            Label = label;
            _dataDirectory = dataDirectory;
        }

        public string Label { get; }

        public static async Task<Stack> StartAsync(string label, string root)
        {
            var stack = new Stack(label, BenchPaths.NewDataDirectory($"visible-{label}"));
            var dataRoot = new DataRoot(stack._dataDirectory);
            using (var database = new ImageGen.Core.Storage.Sqlite.SqliteDatabase(dataRoot))
            {
                await Migrator.MigrateAsync(database);
                await database.WriteAsync((c, t) => c.ExecuteAsync("""
                    INSERT INTO brands (id, name, slug, content_markdown, created_at, updated_at) VALUES (1, 'Acme', 'acme', 'Primary #c2410c, ink #1f2937, paper #f8fafc', 0, 0);
                    INSERT INTO projects (id, name, slug, default_brand_id, created_at, updated_at) VALUES (1, 'Launch', 'launch', 1, 0, 0);
                    INSERT INTO work_items (id, project_id, name, slug, type, prompt, created_at, updated_at)
                    VALUES (1, 1, 'Hero', 'hero', 'hero', 'a lighthouse at dusk', 0, 0);
                    """, transaction: t));
            }
            var workerPort = BenchProcess.FreePort();
            var webPort = BenchProcess.FreePort();
            stack._processes.Add(BenchProcess.Start(Path.Combine(root, "ImageGen.Worker", "bin", "Release", "net10.0", "ImageGen.Worker.dll"), Path.Combine(root, "ImageGen.Worker"), new()
            {
                ["ImageGen__DataDir"] = stack._dataDirectory,
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{workerPort}",
            }));
            stack._processes.Add(BenchProcess.Start(Path.Combine(root, "ImageGen.Web", "bin", "Release", "net10.0", "ImageGen.Web.dll"), Path.Combine(root, "ImageGen.Web"), new()
            {
                ["ImageGen__DataDir"] = stack._dataDirectory,
                ["Worker__BaseUrl"] = $"http://127.0.0.1:{workerPort}",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{webPort}",
            }));
            stack._webUrl = $"http://127.0.0.1:{webPort}";
            await BenchProcess.WaitUpAsync($"http://127.0.0.1:{workerPort}/health");
            await BenchProcess.WaitUpAsync($"{stack._webUrl}/health");
            return stack;
        }

        /// <summary>One POST of <paramref name="count"/> candidates: milliseconds to stored, and to all visible.</summary>
        public async Task<(double Stored, double Visible)> MeasureAsync(IBrowser browser, int count)
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
            await context.AddInitScriptAsync(WatchScript);
            var page = await context.NewPageAsync();
            await page.GotoAsync($"{_webUrl}/projects/launch/items/hero");
            await page.Locator("#Generate_Count").FillAsync(count.ToString(CultureInfo.InvariantCulture));
            var posted = await page.EvaluateAsync<double>("""
                (expected) => {
                  const old = [...document.querySelectorAll("figure[data-testid=candidate]")].map((figure) => figure.id);
                  sessionStorage.setItem("bench-old", JSON.stringify(old));
                  sessionStorage.setItem("bench-expect", String(expected));
                  const form = document.querySelector("form[action*='handler=Generate']");
                  const t = Date.now();
                  form.requestSubmit();
                  return t;
                }
                """, count);
            await page.WaitForURLAsync(url => !url.Contains("handler=", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
            await page.WaitForFunctionAsync("() => sessionStorage.getItem('bench-visible') !== null", null, new() { Timeout = 60_000, PollingInterval = 20 });
            var visible = double.Parse(await page.EvaluateAsync<string>("() => sessionStorage.getItem('bench-visible')"), CultureInfo.InvariantCulture);

            using var database = new ImageGen.Core.Storage.Sqlite.SqliteDatabase(new DataRoot(_dataDirectory));
            var (status, finished) = await database.ReadAsync(c => c.QuerySingleAsync<(string, long)>(
                "SELECT status, updated_at FROM jobs ORDER BY id DESC LIMIT 1"));
            if (status != "succeeded")
            {
                throw new InvalidOperationException($"the bench job ended {status}");
            }
            return (finished - posted, visible - posted);
        }

        public void Dispose()
        {
            foreach (var process in _processes)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                process.Dispose();
            }
        }
    }
}
