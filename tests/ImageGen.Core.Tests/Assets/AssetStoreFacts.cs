using Dapper;
using ImageGen.Core.Assets;
using ImageGen.Core.Catalog;
using ImageGen.Core.Imaging;
using ImageGen.Core.Storage;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Assets;

/// <summary>The asset library and a work item's references, on both backends.</summary>
public abstract class AssetStoreFacts(Backend backend)
{
    private static byte[] Png(string prompt) =>
        ImageEncoder.EncodeRgb(ProceduralRenderer.Render(prompt, 1, 32, 32), 32, 32, ImageFormats.Png, null);

    private sealed record World(TestDatabase Db, CatalogStore Catalog, AssetStore Assets, AssetIntake Intake, long BrandId, WorkItemDetail Item);

    private async Task<World> CreateAsync()
    {
        var db = await TestDatabase.CreateAsync(backend);
        var catalog = new CatalogStore(db.Database, db.Time);
        var intake = new AssetIntake(db.Root);
        var brandId = (await catalog.CreateBrandAsync("Acme", "acme", "", "# Acme"))!.Value;
        var projectId = (await catalog.CreateProjectAsync("Launch", "launch", brandId))!.Value;
        await catalog.CreateWorkItemAsync(projectId, "Hero", "hero", "hero", "a cup", "", null);
        var item = (await catalog.GetWorkItemAsync("launch", "hero"))!;
        return new World(db, catalog, new AssetStore(db.Database, intake, db.Time), intake, brandId, item);
    }

    [Fact]
    public async Task BrandRevisions_RecordWhichAssetsWereActive()
    {
        var w = await CreateAsync();
        using var _ = w.Db;

        var logo = (await w.Assets.AddAsync(w.BrandId, null, w.Intake.Accept(Png("logo"), "logo.png"), AssetRoles.Logo, "primary", "logo.png"))!.Value;
        var style = (await w.Assets.AddAsync(w.BrandId, null, w.Intake.Accept(Png("style"), "style.png"), AssetRoles.Style, "", "style.png"))!.Value;
        Assert.Equal(AssetRemoval.Deleted, await w.Assets.RemoveAsync(style));

        var revisions = (await w.Db.Database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT asset_ids FROM brand_revisions WHERE brand_id = @BrandId ORDER BY revision", new { w.BrandId }))).ToList();
        Assert.Equal(["", $"{logo}", $"{logo},{style}", $"{logo}"], revisions);
    }

    [Fact]
    public async Task AWorkItem_ChoosesFromItsBrandsAssetsAndItsOwnUploads_AndAJobSnapshotsThem()
    {
        var w = await CreateAsync();
        using var _ = w.Db;
        var logo = (await w.Assets.AddAsync(w.BrandId, null, w.Intake.Accept(Png("logo"), "logo.png"), AssetRoles.Logo, "", "logo.png"))!.Value;
        var upload = (await w.Assets.AddAsync(null, w.Item.Id, w.Intake.Accept(Png("mine"), "mine.png"), AssetRoles.Style, "", "mine.png"))!.Value;

        var choices = await w.Assets.ChoicesAsync(w.Item);
        Assert.Equal([(logo, false), (upload, true)], choices.Select(a => (a.Id, a.Selected)).ToList()); // an upload is chosen at once

        var (files, refused) = await w.Assets.UseAsync(w.Item, [logo, upload]);
        Assert.Empty(refused);
        Assert.Equal([("logo.png", "logo", logo), ("mine.png", "style", upload)], files.Select(f => (f.Name, f.Role!, f.AssetId!.Value)).ToList());
        Assert.All(files, f => Assert.Equal(f.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(w.Db.Root.ResolveRelative(f.Path)!)))));
        Assert.All(await w.Assets.ChoicesAsync(w.Item), a => Assert.True(a.Selected && a.UsedAt is not null));

        // Used, so retired rather than deleted: still there for the runs that name it, no longer offered.
        Assert.Equal(AssetRemoval.Retired, await w.Assets.RemoveAsync(logo));
        Assert.True((await w.Assets.GetAsync(logo))!.Retired);
        Assert.True(File.Exists(w.Db.Root.ResolveRelative(files[0].Path)));
        Assert.Equal([upload], (await w.Assets.ChoicesAsync(w.Item)).Select(a => a.Id).ToList());
        var (none, refusedRetired) = await w.Assets.UseAsync(w.Item, [logo]);
        Assert.Empty(none);
        Assert.Equal([logo], refusedRetired);
    }

    [Fact]
    public async Task AnotherBrandsAsset_IsNotAChoice()
    {
        var w = await CreateAsync();
        using var _ = w.Db;
        var other = (await w.Catalog.CreateBrandAsync("Other", "other", "", ""))!.Value;
        var foreign = (await w.Assets.AddAsync(other, null, w.Intake.Accept(Png("foreign"), "f.png"), AssetRoles.Logo, "", "f.png"))!.Value;

        var (files, refused) = await w.Assets.UseAsync(w.Item, [foreign]);

        Assert.Empty(files);
        Assert.Equal([foreign], refused);
        Assert.Null(await w.Db.Database.ReadAsync(c => c.ExecuteScalarAsync<long?>("SELECT used_at FROM assets WHERE id = @foreign", new { foreign })));
    }

    [Fact]
    public async Task DeletingAnUnusedAsset_RemovesItsFile_UnlessAnotherAssetHasTheSameContent()
    {
        var w = await CreateAsync();
        using var _ = w.Db;
        var file = w.Intake.Accept(Png("same"), "a.png");
        var first = (await w.Assets.AddAsync(w.BrandId, null, file, AssetRoles.Style, "", "a.png"))!.Value;
        var second = (await w.Assets.AddAsync(null, w.Item.Id, file, AssetRoles.Style, "", "b.png"))!.Value;

        Assert.Equal(AssetRemoval.Deleted, await w.Assets.RemoveAsync(first));
        Assert.True(File.Exists(w.Db.Root.ResolveRelative(file.Path)));
        Assert.Equal(AssetRemoval.Deleted, await w.Assets.RemoveAsync(second));
        Assert.False(File.Exists(w.Db.Root.ResolveRelative(file.Path)));
        Assert.False(File.Exists(w.Db.Root.ResolveRelative(file.ThumbnailPath)));
        Assert.Equal(AssetRemoval.NotFound, await w.Assets.RemoveAsync(second));
    }
}

public sealed class SqliteAssetStoreFacts() : AssetStoreFacts(Backend.Sqlite);

public sealed class PostgresAssetStoreFacts() : AssetStoreFacts(Backend.Postgres);
