using ImageGen.Core.Assets;
using ImageGen.Core.BrandCheck;
using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Core.Storage;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.BrandCheck;

/// <summary>A job's brand check reads the revision it was queued with: its rules and the logos it offered, on both backends.</summary>
public abstract class BrandCheckSourceFacts(Backend backend)
{
    private static byte[] Png(string prompt) =>
        ImageEncoder.EncodeRgb(ProceduralRenderer.Render(prompt, 1, 48, 48), 48, 48, ImageFormats.Png, null);

    [Fact]
    public async Task AJobQueuedWithLogoA_LooksForA_AfterTheBrandsLogoIsReplacedByB()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        var catalog = new CatalogStore(db.Database, db.Time);
        var intake = new AssetIntake(db.Root);
        var assets = new AssetStore(db.Database, intake, db.Time);
        var brandId = (await catalog.CreateBrandAsync("Acme", "acme", "", "# Acme\n\n## Rules\n- Logo: required"))!.Value;
        var projectId = (await catalog.CreateProjectAsync("Launch", "launch", brandId))!.Value;
        await catalog.CreateWorkItemAsync(projectId, "Hero", "hero", "hero", "a cup", "", null);
        var logoA = (await assets.AddAsync(brandId, null, intake.Accept(Png("logo a"), "a.png"), AssetRoles.Logo, "", "a.png"))!.Value;
        var item = (await catalog.GetWorkItemAsync("launch", "hero"))!;
        // The job is queued now, under the revision that offers logo A; the item sends A along, so A is kept when removed.
        var queuedWith = item.EffectiveBrandRevisionId!.Value;
        Assert.Empty((await assets.UseAsync(item, [logoA])).Refused);

        // Then the brand's logo is replaced: B added, A removed (retired, as a job sent it).
        await assets.AddAsync(brandId, null, intake.Accept(Png("logo b"), "b.png"), AssetRoles.Logo, "", "b.png");
        Assert.Equal(AssetRemoval.Retired, await assets.RemoveAsync(logoA));
        var now = (await catalog.GetWorkItemAsync("launch", "hero"))!.EffectiveBrandRevisionId!.Value;
        Assert.NotEqual(queuedWith, now);

        var source = new BrandCheckSource(db.Database, db.Images);
        using var queued = (await source.ForAsync(new JobSpec { Model = "offline/procedural", Prompt = "a cup", Origin = new JobOrigin { WorkItemId = item.Id, BrandRevisionId = queuedWith } }))!;
        using var later = (await source.ForAsync(new JobSpec { Model = "offline/procedural", Prompt = "a cup", Origin = new JobOrigin { WorkItemId = item.Id, BrandRevisionId = now } }))!;

        Assert.Equal(["a.png"], queued.Logos.Select(l => l.Name));
        Assert.Empty(queued.LogoProblems);
        Assert.Equal("hero", queued.WorkItemType);
        Assert.Equal(["b.png"], later.Logos.Select(l => l.Name));
    }

    [Fact]
    public void ARevisionsAssetList_IsReadStrictly()
    {
        Assert.Empty(BrandCheckSource.AssetIds(""));
        Assert.Equal([3L, 12L], BrandCheckSource.AssetIds("3,12"));
        Assert.Throws<InvalidDataException>(() => BrandCheckSource.AssetIds("3,x"));
        Assert.Throws<InvalidDataException>(() => BrandCheckSource.AssetIds("-1"));
    }
}

public sealed class SqliteBrandCheckSourceFacts() : BrandCheckSourceFacts(Backend.Sqlite);

public sealed class PostgresBrandCheckSourceFacts() : BrandCheckSourceFacts(Backend.Postgres);
