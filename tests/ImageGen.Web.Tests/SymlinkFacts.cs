using System.IO.Compression;
using System.Net;
using Dapper;
using ImageGen.Core.Iteration;
using Microsoft.Extensions.DependencyInjection;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Tests;

/// <summary>
/// A symbolic link inside the data folder that leads out of it: the image routes, finalize and export never read or
/// write through it; and export entry names are safe for every unzip tool.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SymlinkFacts
{
    private const string Item = "/projects/launch/items/hero";

    /// <summary>Run 1's folder is a link to a folder outside the data root that holds "01.png" and "02.png".</summary>
    private static async Task<(WebTestHost Web, HttpClient Client, string Outside)> StartWithLinkedRunFolderAsync()
    {
        var (web, client, _) = await WebTestHost.StartAsync(runs: 1);
        var outside = Path.Combine(Path.GetDirectoryName(web.Root.Path)!, $"outside-{Guid.NewGuid():N}");
        Directory.CreateDirectory(outside);
        await File.WriteAllBytesAsync(Path.Combine(outside, "01.png"), "secret one"u8.ToArray(), TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(outside, "02.png"), "secret two"u8.ToArray(), TestContext.Current.CancellationToken);
        var runFolder = Path.Combine(web.Root.Path, "images", "launch", "hero", "run-1");
        Directory.CreateDirectory(Path.GetDirectoryName(runFolder)!);
        Directory.CreateSymbolicLink(runFolder, outside);
        return (web, client, outside);
    }

    [Theory]
    [InlineData("/images/1")]
    [InlineData("/images/1/thumbnail")]
    [InlineData("/images/1?download=true")]
    public async Task ImageRoutes_DoNotFollowALinkOutOfTheDataFolder(string url)
    {
        var (web, client, outside) = await StartWithLinkedRunFolderAsync();
        await using var _ = web;
        using var __ = client;
        try
        {
            using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task Finalize_OfAnImageBehindALink_CopiesNothing()
    {
        var (web, client, outside) = await StartWithLinkedRunFolderAsync();
        await using var _ = web;
        using var __ = client;
        try
        {
            using var response = await Forms.PostAsync(client, Item, new Dictionary<string, string> { ["imageId"] = "1" }, $"{Item}?handler=Finalize");

            Assert.False(File.Exists(Path.Combine(web.Root.Path, "images", "launch", "hero", "final", "hero.png")));
            var database = web.Services.GetRequiredService<ImageGen.Core.Storage.Database>();
            Assert.Equal(0, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM finals")));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task Finalize_IntoAFinalFolderThatIsALinkOut_WritesNothingThere()
    {
        var (web, client, _) = await WebTestHost.StartAsync(runs: 1);
        await using var __ = web;
        using var ___ = client;
        var run = Path.Combine(web.Root.Path, "images", "launch", "hero", "run-1");
        Directory.CreateDirectory(run);
        await File.WriteAllBytesAsync(Path.Combine(run, "01.png"), [1, 2, 3], TestContext.Current.CancellationToken);
        var outside = Path.Combine(Path.GetDirectoryName(web.Root.Path)!, $"outside-{Guid.NewGuid():N}");
        Directory.CreateDirectory(outside);
        Directory.CreateSymbolicLink(Path.Combine(web.Root.Path, "images", "launch", "hero", "final"), outside);
        try
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => web.Services.GetRequiredService<FinalStore>().FinalizeAsync(1, 1));
            Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task Export_LeavesOutFilesBehindALink_AndWritesOnlySafeEntryNames()
    {
        var (web, client, outside) = await StartWithLinkedRunFolderAsync();
        await using var _ = web;
        using var __ = client;
        var database = web.Services.GetRequiredService<ImageGen.Core.Storage.Database>();
        // A second run whose stored file name carries backslashes, as a hostile row or another OS might.
        var run2 = Path.Combine(web.Root.Path, "images", "launch", "hero", "run-2");
        Directory.CreateDirectory(run2);
        var odd = "..\\..\\evil.png";
        await File.WriteAllBytesAsync(Path.Combine(run2, odd), [9, 9], TestContext.Current.CancellationToken);
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO runs (id, work_item_id, job_id, attempt, model, prompt, settings_json, status, created_at, updated_at)
            VALUES (2, 1, 1, 2, 'offline/procedural', 'x', '{}', 'succeeded', 5, 5);
            INSERT INTO run_images (run_id, path, format, width, height, bytes, sha256, seed, created_at)
            VALUES (2, @path, 'png', 8, 8, 2, 'ff', 3, 5);
            """, new { path = $"images/launch/hero/run-2/{odd}" }, t));
        try
        {
            var exports = web.Services.GetRequiredService<ExportBuilder>();
            var item = (await web.Services.GetRequiredService<ImageGen.Core.Storage.CatalogStore>().GetWorkItemAsync("launch", "hero"))!;
            var name = await exports.BuildAsync(item, includeCandidates: true, TestContext.Current.CancellationToken);

            using var zip = ZipFile.OpenRead(exports.Resolve(name)!);
            var entries = zip.Entries.Select(e => e.FullName).Order().ToList();
            Assert.Equal(["candidates/run-2/evil.png", "metadata.json"], entries); // run 1's linked files are not in it
            Assert.All(entries, e => Assert.DoesNotContain('\\', e));
            Assert.Equal("evil.png", ExportBuilder.SafeEntryName(odd));
            Assert.Equal("_x.png", ExportBuilder.SafeEntryName(".. x.png"));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }
}
