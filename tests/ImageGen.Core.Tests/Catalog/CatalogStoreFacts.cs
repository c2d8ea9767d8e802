using Dapper;
using ImageGen.Core.Catalog;
using ImageGen.Core.Storage;

namespace ImageGen.Core.Tests.Catalog;

public abstract class CatalogStoreFacts(Backend backend)
{
    [Fact]
    public async Task MultiLineText_IsStoredWithNewlineEnds_WhateverTheBrowserSent()
    {
        using var db = await TestDatabase.CreateAsync(backend);
        var catalog = new CatalogStore(db.Database, db.Time);

        var brandId = (await catalog.CreateBrandAsync("Acme", "acme", "", "# Acme\r\n\r\n- #c2410c\r\n"))!.Value;
        var projectId = (await catalog.CreateProjectAsync("Launch", "launch", brandId))!.Value;
        var itemId = (await catalog.CreateWorkItemAsync(projectId, "Hero", "hero", "other", "a cup\r\non a wall", "no text\r\nno logos", null))!.Value;

        Assert.Equal("# Acme\n\n- #c2410c\n", await db.ScalarAsync<string>("SELECT content_markdown FROM brands WHERE id = @brandId", new { brandId }));
        Assert.Equal("# Acme\n\n- #c2410c\n", await db.ScalarAsync<string>("SELECT content_markdown FROM brand_revisions WHERE brand_id = @brandId", new { brandId }));
        Assert.Equal("a cup\non a wall|no text\nno logos", await db.ScalarAsync<string>("SELECT prompt || '|' || constraints FROM work_items WHERE id = @itemId", new { itemId }));

        Assert.True(await catalog.UpdateBrandAsync(brandId, "Acme", "", "# Acme\r\nbold\r\n"));
        Assert.True(await catalog.UpdateWorkItemAsync(itemId, "Hero", "other", "two\r\nlines", "", null));
        Assert.Equal("# Acme\nbold\n", await db.ScalarAsync<string>("SELECT content_markdown FROM brands WHERE id = @brandId", new { brandId }));
        Assert.Equal("two\nlines", await db.ScalarAsync<string>("SELECT prompt FROM work_items WHERE id = @itemId", new { itemId }));
        Assert.Equal(0, await db.Database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM brand_revisions WHERE content_markdown LIKE @carriageReturn", new { carriageReturn = "%\r%" })));
    }
}

public sealed class SqliteCatalogStoreFacts() : CatalogStoreFacts(Backend.Sqlite);

public sealed class PostgresCatalogStoreFacts() : CatalogStoreFacts(Backend.Postgres);
