using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Dapper;
using ImageGen.Core.Iteration;
using ImageGen.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ImageGen.Web.Tests;

public sealed class ExportFacts
{
    [Fact]
    public async Task Export_ZipHoldsTheFinalTheCandidatesAndMetadataThatMatchesTheDatabase()
    {
        var (web, client, database) = await WebTestHost.StartAsync(runs: 1);
        await using var _web = web;
        using var _client = client;
        foreach (var name in new[] { "01.png", "02.png" })
        {
            var file = Path.Combine(web.Root.Path, "images", "launch", "hero", "run-1", name);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, [7, 7, 7], TestContext.Current.CancellationToken);
        }
        await web.Services.GetRequiredService<ComparisonStore>().RecordAsync(1, 1, 2, 2, "closer to the palette");
        await web.Services.GetRequiredService<FinalStore>().FinalizeAsync(1, 2);

        using var export = await Forms.PostAsync(client, "/projects/launch/items/hero",
            new Dictionary<string, string> { ["includeCandidates"] = "true" }, "/projects/launch/items/hero?handler=Export");

        Assert.Equal(HttpStatusCode.Redirect, export.StatusCode);
        var zipName = Uri.UnescapeDataString(export.Headers.Location!.OriginalString.Split("export=")[1]);
        Assert.Contains($"href=\"/exports/{zipName}\"", await Forms.GetPageAsync(client, export.Headers.Location.OriginalString), StringComparison.Ordinal);
        using var download = await client.GetAsync($"/exports/{zipName}", TestContext.Current.CancellationToken);
        Assert.Equal("application/zip", download.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(await download.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));

        Assert.Equal(["candidates/run-1/01.png", "candidates/run-1/02.png", "final/hero.png", "metadata.json"], zip.Entries.Select(e => e.FullName).Order());
        using var metadata = await JsonDocument.ParseAsync(zip.GetEntry("metadata.json")!.Open(), cancellationToken: TestContext.Current.CancellationToken);
        var root = metadata.RootElement;
        Assert.Equal("a steaming cup", root.GetProperty("workItem").GetProperty("prompt").GetString());
        Assert.Equal("Primary #ff5500", root.GetProperty("brand").GetProperty("text").GetString());
        Assert.Equal(2, root.GetProperty("final").GetProperty("imageId").GetInt64());
        var run = root.GetProperty("runs")[0];
        Assert.Equal(await database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT prompt FROM runs WHERE id = 1")), run.GetProperty("composedPrompt").GetString());
        Assert.Equal("offline/procedural", run.GetProperty("model").GetString());
        var candidates = run.GetProperty("candidates").EnumerateArray().ToDictionary(c => c.GetProperty("imageId").GetInt64());
        var dbScores = (await database.ReadAsync(c => c.QueryAsync<(long Id, double Score)>("SELECT id, score FROM run_images"))).ToDictionary(s => s.Id, s => s.Score);
        Assert.All(candidates, c => Assert.Equal(dbScores[c.Key], c.Value.GetProperty("score").GetDouble()));
        Assert.Equal(2, candidates[2].GetProperty("seed").GetInt64());
        var pick = root.GetProperty("picks")[0];
        Assert.Equal((2L, "closer to the palette"), (pick.GetProperty("winnerImageId").GetInt64(), pick.GetProperty("reason").GetString()));
        Assert.True(File.Exists(Path.Combine(web.Root.ExportsDir, zipName)));
    }

    [Theory]
    [InlineData("/exports/nope.zip")]
    [InlineData("/exports/..%2Fimagegen.db")]
    [InlineData("/exports/%2E%2E%2Fimagegen.zip")]
    public async Task Export_Route_RefusesUnknownNamesAndPathTricks(string url)
    {
        await using var web = new WebTestHost("http://127.0.0.1:9");
        using var client = web.CreateClient();

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
    /// <summary>
    /// Hostile run_images rows: one names the database by a path that stays inside the data folder, one leaves it by
    /// "..", one names a file that is not there. Only the real candidate is exported; metadata.json lists the rest.
    /// </summary>
    [Fact]
    public async Task Export_LeavesOutStoredPathsOutsideTheImages_AndSaysSo()
    {
        var (web, _, database) = await WebTestHost.StartAsync(runs: 1);
        await using var _web = web;
        var run = Path.Combine(web.Root.Path, "images", "launch", "hero", "run-1");
        Directory.CreateDirectory(run);
        await File.WriteAllBytesAsync(Path.Combine(run, "01.png"), [7, 7, 7], TestContext.Current.CancellationToken);
        var outside = Path.Combine(Path.GetDirectoryName(web.Root.Path)!, "imagegen.db");
        await File.WriteAllBytesAsync(outside, "not yours"u8.ToArray(), TestContext.Current.CancellationToken);
        Assert.True(File.Exists(web.Root.DatabasePath));
        string[] hostile = ["images/launch/hero/run-1/../../../../imagegen.db", "imagegen.db", "../imagegen.db"];
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            UPDATE run_images SET path = @path WHERE id = 2;
            INSERT INTO run_images (run_id, path, format, width, height, bytes, sha256, seed, created_at)
            VALUES (1, @inside, 'png', 64, 64, 10, 'a1', 3, 1), (1, @outside, 'png', 64, 64, 10, 'a2', 4, 1);
            """, new { path = hostile[0], inside = hostile[1], outside = hostile[2] }, t));
        try
        {
            var exports = web.Services.GetRequiredService<ExportBuilder>();
            var item = (await web.Services.GetRequiredService<ImageGen.Core.Storage.CatalogStore>().GetWorkItemAsync("launch", "hero"))!;
            var name = await exports.BuildAsync(item, includeCandidates: true, TestContext.Current.CancellationToken);

            using var zip = ZipFile.OpenRead(exports.Resolve(name)!);
            Assert.Equal(["candidates/run-1/01.png", "metadata.json"], zip.Entries.Select(e => e.FullName).Order());
            Assert.All(zip.Entries, e => Assert.NotEqual(new FileInfo(web.Root.DatabasePath).Length, e.Length));
            using var metadata = await JsonDocument.ParseAsync(zip.GetEntry("metadata.json")!.Open(), cancellationToken: TestContext.Current.CancellationToken);
            var leftOut = metadata.RootElement.GetProperty("leftOut").EnumerateArray()
                .ToDictionary(f => f.GetProperty("storedPath").GetString()!, f => (f.GetProperty("imageId").GetInt64(), f.GetProperty("reason").GetString()));
            Assert.Equal(hostile.Order(), leftOut.Keys.Order());
            Assert.All(leftOut.Values, f => Assert.StartsWith("its stored path leads outside the data folder's images and assets", f.Item2, StringComparison.Ordinal));
            Assert.Equal(2, leftOut[hostile[0]].Item1);
            var candidates = metadata.RootElement.GetProperty("runs")[0].GetProperty("candidates").EnumerateArray().ToDictionary(c => c.GetProperty("imageId").GetInt64());
            Assert.Equal("candidates/run-1/01.png", candidates[1].GetProperty("file").GetString());
            Assert.False(candidates[2].TryGetProperty("file", out _)); // not in the zip, so no entry name
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Theory]
    [InlineData("imagegen.db")]
    [InlineData("images/launch/hero/run-1/../../../../imagegen.db")]
    public async Task ImageRoutes_DoNotServeTheDatabase(string storedPath)
    {
        var (web, client, database) = await WebTestHost.StartAsync(runs: 1);
        await using var _web = web;
        using var _client = client;
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE run_images SET path = @storedPath, original_path = @storedPath WHERE id = 1", new { storedPath }, t));

        foreach (var url in new[] { "/images/1", "/images/1/thumbnail", "/images/1/original", "/images/1/info" })
        {
            using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Null(await web.Services.GetRequiredService<FinalStore>().FinalizeAsync(1, 1)); // nothing copied into final/
        Assert.False(Directory.Exists(Path.Combine(web.Root.ImagesDir, "launch", "hero", "final")));
    }
}
