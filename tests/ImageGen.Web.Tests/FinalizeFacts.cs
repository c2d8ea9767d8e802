using System.Net;
using Dapper;
using ImageGen.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ImageGen.Web.Tests;

public sealed class FinalizeFacts
{
    private const string Item = "/projects/launch/items/hero";

    private static async Task<(WebTestHost Web, HttpClient Client, Database Database)> StartAsync()
    {
        var (web, client, database) = await WebTestHost.StartAsync(runs: 1); // images 1 and 2 of run 1
        foreach (var (id, bytes) in new[] { (1, new byte[] { 1, 1, 1 }), (2, new byte[] { 2, 2 }) })
        {
            var file = Path.Combine(web.Root.Path, "images", "launch", "hero", "run-1", $"0{id}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, bytes, TestContext.Current.CancellationToken);
        }
        return (web, client, database);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string handler, Dictionary<string, string> fields) =>
        Forms.PostAsync(client, Item, fields, $"{Item}?handler={handler}");

    [Fact]
    public async Task FinalizeTwice_ReplacesTheFileInFinal_AndKeepsBothRecords()
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;
        var finalFile = Path.Combine(web.Root.Path, "images", "launch", "hero", "final", "hero.png");

        using (var first = await PostAsync(client, "Finalize", new() { ["imageId"] = "1" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }
        Assert.Equal([1, 1, 1], await File.ReadAllBytesAsync(finalFile, TestContext.Current.CancellationToken));

        using (var second = await PostAsync(client, "Finalize", new() { ["imageId"] = "2" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        }

        Assert.Equal([2, 2], await File.ReadAllBytesAsync(finalFile, TestContext.Current.CancellationToken));
        Assert.Equal(["hero.png"], Directory.GetFiles(Path.GetDirectoryName(finalFile)!).Select(Path.GetFileName));
        var finals = (await database.ReadAsync(c => c.QueryAsync<(long ImageId, long? ReplacedAt)>(
            "SELECT run_image_id, replaced_at FROM finals ORDER BY id"))).ToList();
        Assert.Equal(2, finals.Count);
        Assert.Equal(1, finals[0].ImageId);
        Assert.NotNull(finals[0].ReplacedAt);
        Assert.Equal((2L, (long?)null), finals[1]);
        Assert.Equal("final", await database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT status FROM work_items WHERE id = 1")));
        var page = await Forms.GetPageAsync(client, Item);
        Assert.Contains("Image #2 is now the final", page, StringComparison.Ordinal);
        Assert.Contains("Earlier finals (1)", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finalize_AnImageOfAnotherWorkItem_ChangesNothing()
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;

        using var response = await PostAsync(client, "Finalize", new() { ["imageId"] = "999" });

        Assert.Contains("not a candidate of this work item", await Forms.GetPageAsync(client, Item), StringComparison.Ordinal);
        Assert.Equal(0, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM finals")));
        Assert.False(Directory.Exists(Path.Combine(web.Root.Path, "images", "launch", "hero", "final")));
    }

    [Fact]
    public async Task Star_TogglesAndTheStarredFilterShowsOnlyStarred()
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;

        using (var star = await PostAsync(client, "Star", new() { ["imageId"] = "2", ["starred"] = "true" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, star.StatusCode);
        }

        Assert.True(await database.ReadAsync(c => c.ExecuteScalarAsync<bool>("SELECT starred FROM run_images WHERE id = 2")));
        var starredOnly = await Forms.GetPageAsync(client, $"{Item}?starred=true");
        Assert.Contains("id=\"image-2\"", starredOnly, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"image-1\"", starredOnly, StringComparison.Ordinal);
        Assert.Contains("aria-pressed=\"true\"><span aria-hidden=\"true\">&#x2605;</span> Star<span class=\"visually-hidden\"> image 2</span>", starredOnly, StringComparison.Ordinal);

        using var unstar = await PostAsync(client, "Star", new() { ["imageId"] = "2", ["starred"] = "false" });
        Assert.False(await database.ReadAsync(c => c.ExecuteScalarAsync<bool>("SELECT starred FROM run_images WHERE id = 2")));
    }
}

public sealed class MoreLikeThisFacts
{
    [Fact]
    public async Task MoreLikeThis_ReusesTheRunsModelSettingsAndTheImagesSeed_AndRecordsTheParent()
    {
        var (web, client, database) = await WebTestHost.StartAsync(runs: 1);
        await using var _web = web;
        using var _client = client;
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            UPDATE runs SET settings_json = '{"count":3,"size":"640x360","format":"png","seed":40}' WHERE id = 1;
            UPDATE run_images SET seed = 41 WHERE id = 2;
            """, transaction: t));

        using var response = await Forms.PostAsync(client, "/projects/launch/items/hero",
            new Dictionary<string, string> { ["imageId"] = "2", ["adjustment"] = "warmer light", ["idempotencyKey"] = "k1" },
            "/projects/launch/items/hero?handler=MoreLikeThis");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var jobs = web.Services.GetRequiredService<ImageGen.Core.Storage.JobQueries>();
        var job = (await jobs.GetAsync(2))!; // job 1 is the seeded run's
        var payload = ImageGen.Core.Spec.JobSpec.Parse(job.PayloadJson);
        Assert.Equal(("offline/procedural", "png", "640x360", 3, 41L, 1L), (payload.Model, payload.Format, payload.Size!, payload.Count, payload.Seed!.Value, payload.Origin!.ParentRunId!.Value));
        Assert.Equal("warmer light", payload.Origin!.Adjustment);
        Assert.EndsWith("Adjustment:\nwarmer light", payload.Prompt, StringComparison.Ordinal);
        // The offline model takes a source image: the candidate itself goes in, snapshotted by path and hash.
        var sha256 = await database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT sha256 FROM run_images WHERE id = 2"));
        Assert.Equal((2L, sha256), (payload.Source!.ImageId!.Value, payload.Source.Sha256));
        var page = await Forms.GetPageAsync(client, "/projects/launch/items/hero");
        Assert.Contains("more like image #2 (image-to-image), adjusted: warmer light", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreLikeThis_OnAModelThatTakesNoImage_FallsBackToPromptAndSeed_AndSaysSo()
    {
        var (web, client, database) = await WebTestHost.StartAsync(runs: 1);
        await using var _web = web;
        using var _client = client;
        // A compatible server declared text only (the default): no source can go in.
        await database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE runs SET model = 'compat/default' WHERE id = 1", transaction: t));

        using var response = await Forms.PostAsync(client, "/projects/launch/items/hero",
            new Dictionary<string, string> { ["imageId"] = "2", ["idempotencyKey"] = "k9" }, "/projects/launch/items/hero?handler=MoreLikeThis");

        var job = (await web.Services.GetRequiredService<ImageGen.Core.Storage.JobQueries>().GetAsync(2))!;
        var payload = ImageGen.Core.Spec.JobSpec.Parse(job.PayloadJson);
        Assert.Null(payload.Source);
        Assert.Equal(1L, payload.Origin!.ParentRunId);
        Assert.Contains("compat/default takes no input image, so this is a variation of the prompt and seed",
            await Forms.GetPageAsync(client, "/projects/launch/items/hero"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreLikeThis_OfAForeignImage_QueuesNothing()
    {
        var (web, client, database) = await WebTestHost.StartAsync();
        await using var _web = web;
        using var _client = client;

        using var response = await Forms.PostAsync(client, "/projects/launch/items/hero",
            new Dictionary<string, string> { ["imageId"] = "77", ["idempotencyKey"] = "k2" }, "/projects/launch/items/hero?handler=MoreLikeThis");

        Assert.Equal(0, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs")));
        Assert.Contains("not a candidate of this work item", await Forms.GetPageAsync(client, "/projects/launch/items/hero"), StringComparison.Ordinal);
    }
}
