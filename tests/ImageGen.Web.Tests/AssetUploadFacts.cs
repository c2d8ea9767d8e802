using System.Net;
using Dapper;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using ImageGen.Core.Spec;

namespace ImageGen.Web.Tests;

/// <summary>Uploading brand assets and item references through the pages, and generating with them.</summary>
public sealed class AssetUploadFacts
{
    private const string Brand = "/brands/acme";
    private const string Item = "/projects/launch/items/hero";

    private static byte[] Png(string prompt) =>
        ImageEncoder.EncodeRgb(ProceduralRenderer.Render(prompt, 1, 64, 64), 64, 64, ImageFormats.Png, null);

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, string name, byte[] bytes, string role = "logo") =>
        Forms.PostFileAsync(client, Brand, $"{Brand}?handler=UploadAsset", name, bytes, "image/png", new Dictionary<string, string> { ["role"] = role, ["note"] = "primary mark" });

    [Fact]
    public async Task ALogo_UploadedToABrand_IsShownInItsGrid_AndOfferedOnItsWorkItems()
    {
        var (web, client, database) = await WebTestHost.StartAsync();
        await using var _web = web;
        using var _client = client;

        using var response = await UploadAsync(client, "acme-logo.png", Png("logo #ff5500"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var brand = WebUtility.HtmlDecode(await Forms.GetPageAsync(client, Brand));
        Assert.Contains("'acme-logo.png' added as logo (64×64 png).", brand, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"asset\"", brand, StringComparison.Ordinal);
        Assert.Contains("primary mark", brand, StringComparison.Ordinal);
        using var thumbnail = await client.GetAsync("/assets/1/thumbnail", TestContext.Current.CancellationToken);
        Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType!.MediaType);
        var item = await Forms.GetPageAsync(client, Item);
        Assert.Contains("name=\"Generate.References\" value=\"1\"", item, StringComparison.Ordinal);
        Assert.Equal("1", await database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT asset_ids FROM brand_revisions WHERE brand_id = 1 ORDER BY revision DESC LIMIT 1")));
    }

    public static TheoryData<string, byte[], string> BadUploads => new()
    {
        { "notes.png", "just some text"u8.ToArray(), "'notes.png' is a text file, not a PNG, JPEG or WebP image." },
        { "bomb.png", HostileImages.DecompressionBomb(60_000, 60_000), "'bomb.png' declares 60000×60000 pixels" },
        { "cut.png", HostileImages.Truncated(HostileImages.NoisyPng(300, 300)), "'cut.png' is incomplete or damaged" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task ABadUpload_IsRefusedWithAMessage_AndLeavesNothingBehind(string name, byte[] bytes, string message)
    {
        var (web, client, database) = await WebTestHost.StartAsync();
        await using var _web = web;
        using var _client = client;

        using var response = await UploadAsync(client, name, bytes);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = WebUtility.HtmlDecode(await Forms.GetPageAsync(client, Brand));
        Assert.Contains(message, page, StringComparison.Ordinal);
        Assert.Contains("Nothing was added.", page, StringComparison.Ordinal);
        Assert.Equal(0, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM assets")));
        var root = web.Services.GetRequiredService<ImageGen.Core.DataRoot>();
        Assert.False(Directory.Exists(Path.Combine(root.Path, "assets")) && Directory.EnumerateFiles(Path.Combine(root.Path, "assets"), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task AnOversizeUpload_IsRefusedBeforeItIsRead()
    {
        var (web, client, database) = await WebTestHost.StartAsync();
        await using var _web = web;
        using var _client = client;

        using var response = await UploadAsync(client, "huge.png", new byte[InputLimits.MaxBytes + 1024]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("'huge.png' is 20 MiB; the limit is 20 MiB.", WebUtility.HtmlDecode(await Forms.GetPageAsync(client, Brand)), StringComparison.Ordinal);
        Assert.Equal(0, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM assets")));
    }

    [Fact]
    public async Task Generate_WithChosenReferences_SnapshotsTheirFilesAndHashesIntoThePayload_AndRemembersTheChoice()
    {
        var (web, client, database) = await WebTestHost.StartAsync();
        await using var _web = web;
        using var _client = client;
        using (await UploadAsync(client, "logo.png", Png("logo"))) { }
        using (await UploadAsync(client, "style.png", Png("style"), role: "style")) { }
        var page = await Forms.GetPageAsync(client, Item);

        using var response = await Forms.PostPairsAsync(client, Item,
        [
            new("Generate.Models", "offline/procedural"), new("Generate.Format", "png"), new("Generate.Count", "1"),
            new("Generate.References", "2"), new("Generate.References", "1"), new("Generate.Background", "transparent"),
            new("Generate.Quality", "auto"), new("Generate.IdempotencyKey", Forms.IdempotencyKey(page)),
        ], $"{Item}?handler=Generate");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var payload = JobSpec.Parse(await database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT payload_json FROM jobs")) ?? "");
        var assets = (await database.ReadAsync(c => c.QueryAsync<(long Id, string Sha256, string Path)>("SELECT id, sha256, path FROM assets ORDER BY id"))).ToList();
        Assert.Equal([(2L, assets[1].Sha256, assets[1].Path, "style"), (1L, assets[0].Sha256, assets[0].Path, "logo")],
            payload.References!.Select(r => (r.AssetId!.Value, r.Sha256, r.Path, r.Role!)).ToList());
        Assert.Equal(Backgrounds.Transparent, payload.Background);
        Assert.Equal(2, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM assets WHERE used_at IS NOT NULL")));
        var again = await Forms.GetPageAsync(client, Item);
        Assert.Contains("value=\"1\" checked=\"checked\"", again, StringComparison.Ordinal);
        Assert.Contains("value=\"2\" checked=\"checked\"", again, StringComparison.Ordinal);

        // Used, so the brand page now offers to retire it rather than delete it.
        using (await Forms.PostAsync(client, Brand, new Dictionary<string, string> { ["assetId"] = "1" }, $"{Brand}?handler=RemoveAsset")) { }
        Assert.Contains("'logo.png' retired", WebUtility.HtmlDecode(await Forms.GetPageAsync(client, Brand)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_WithReferencesOnATextOnlyModel_IsRefusedOnTheForm()
    {
        var (web, client, database) = await WebTestHost.StartAsync();
        await using var _web = web;
        using var _client = client;
        using (await UploadAsync(client, "logo.png", Png("logo"))) { }
        var page = await Forms.GetPageAsync(client, Item);

        // The transparent background on JPEG is refused by the same table.
        using var response = await Forms.PostPairsAsync(client, Item,
        [
            new("Generate.Models", "offline/procedural"), new("Generate.Format", "jpeg"), new("Generate.Count", "1"),
            new("Generate.References", "1"), new("Generate.Background", "transparent"), new("Generate.IdempotencyKey", Forms.IdempotencyKey(page)),
        ], $"{Item}?handler=Generate");

        var body = WebUtility.HtmlDecode(await Forms.BodyAsync(response));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("A transparent background needs PNG or WebP: JPEG has no alpha channel.", body, StringComparison.Ordinal);
        Assert.Contains("value=\"1\" checked=\"checked\"", body, StringComparison.Ordinal); // the choice is kept on the redisplayed form
        Assert.Equal(0, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs")));
    }

    [Fact]
    public async Task AWorkItemsOwnUpload_IsChosenForIt_AndNotOfferedToOtherItems()
    {
        var (web, client, database) = await WebTestHost.StartAsync();
        await using var _web = web;
        using var _client = client;
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO work_items (id, project_id, name, slug, type, prompt, created_at, updated_at) VALUES (2, 1, 'Icon', 'icon', 'icon', 'an icon', 0, 0)", transaction: t));

        using var response = await Forms.PostFileAsync(client, Item, $"{Item}?handler=UploadReference", "mood.png", Png("mood"), "image/png",
            new Dictionary<string, string> { ["role"] = "style" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = WebUtility.HtmlDecode(await Forms.GetPageAsync(client, Item));
        Assert.Contains("It is chosen as a reference for this item.", page, StringComparison.Ordinal);
        Assert.Contains("value=\"1\" checked=\"checked\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Generate.References\"", await Forms.GetPageAsync(client, "/projects/launch/items/icon"), StringComparison.Ordinal);
    }
}
