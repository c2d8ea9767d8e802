using System.Text.RegularExpressions;
using Dapper;
using ImageGen.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ImageGen.Web.Tests;

public sealed class SearchFacts
{
    private static async Task<(WebTestHost Web, HttpClient Client)> StartAsync()
    {
        var web = new WebTestHost("http://127.0.0.1:9");
        var client = web.CreateClient();
        await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var database = web.Services.GetRequiredService<Database>();
        await Seed.CatalogAsync(database);
        await Seed.RunsAsync(database, 3); // runs 1–3, images 1–6
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            UPDATE runs SET prompt = 'a warm cup on a table' WHERE id = 1;
            UPDATE runs SET prompt = 'a cold cup, 100% glass' WHERE id = 2;
            UPDATE runs SET prompt = 'blue sky', model = 'compat/sdxl' WHERE id = 3;
            UPDATE run_images SET score = id * 10.0;
            UPDATE run_images SET starred = 1 WHERE id IN (2, 5);
            """, transaction: t));
        return (web, client);
    }

    private static async Task<List<long>> FoundAsync(HttpClient client, string query) =>
        Regex.Matches(await Forms.GetPageAsync(client, "/search" + query), "data-testid=\"found-candidate\" data-image-id=\"(\\d+)\"")
            .Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    [Theory]
    [InlineData("?q=cold", new long[] { 4, 3 })]
    [InlineData("?q=cup&sort=oldest", new long[] { 1, 2, 3, 4, 5, 6 })] // the brief ("a steaming cup") matches every run of the item
    [InlineData("?model=compat%2Fsdxl", new long[] { 6, 5 })]
    [InlineData("?starred=true", new long[] { 5, 2 })]
    [InlineData("?run=1", new long[] { 2, 1 })]
    [InlineData("?item=1&sort=score", new long[] { 6, 5, 4, 3, 2, 1 })]
    [InlineData("?q=100%25", new long[] { 4, 3 })]          // % is searched for literally
    [InlineData("?q=_", new long[] { })]                      // and so is _
    [InlineData("?q=COLD", new long[] { 4, 3 })]              // the trigram index: case-insensitive,
    [InlineData("?q=old%20cu", new long[] { 4, 3 })]          // any substring, across words,
    [InlineData("?q=%22cup", new long[] { })]                 // a quote is text, not FTS syntax,
    [InlineData("?q=ld", new long[] { 4, 3 })]                // and under three characters plain LIKE finds it
    public async Task Search_FiltersAndSortsCandidates(string query, long[] expected)
    {
        var (web, client) = await StartAsync();
        await using var _ = web;
        using var __ = client;

        Assert.Equal(expected, await FoundAsync(client, query));
    }

    [Fact]
    public async Task TheTextIndex_FollowsRenamesAndNewRuns()
    {
        var (web, client) = await StartAsync();
        await using var _ = web;
        using var __ = client;
        var database = web.Services.GetRequiredService<Database>();

        Assert.Empty(await FoundAsync(client, "?q=lighthouse"));
        await database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE work_items SET name = 'Lighthouse banner' WHERE id = 1", transaction: t));
        Assert.Equal([6L, 5, 4, 3, 2, 1], await FoundAsync(client, "?q=lighthouse"));
        Assert.Equal(["Lighthouse banner"], Regex.Matches(await Forms.GetPageAsync(client, "/search?q=house%20ban"), ">(Lighthouse banner)</a>").Select(m => m.Groups[1].Value).Distinct());

        await Seed.RunsAsync(database, 1); // run 4, prompt 'x'
        await database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE runs SET prompt = 'a quay at dawn' WHERE id = 4; DELETE FROM runs WHERE id = 3", transaction: t));
        Assert.Equal([8L, 7], await FoundAsync(client, "?q=quay"));
        Assert.Empty(await FoundAsync(client, "?q=blue%20sky"));
    }

    [Fact]
    public async Task Search_FindsWorkItemsByTheirBrief_AndSaysWhenASortIsUnknown()
    {
        var (web, client) = await StartAsync();
        await using var _ = web;
        using var __ = client;

        var html = await Forms.GetPageAsync(client, "/search?q=steaming");
        Assert.Contains("<a href=\"/projects/launch/items/hero\">Hero</a>", html, StringComparison.Ordinal);

        var bad = await Forms.GetPageAsync(client, "/search?sort=sideways");
        Assert.Contains("&#x27;sideways&#x27; is not a sort order", bad, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_AWordMostRunsMatch_PagesTheSameWayAsAFilterThatPicksFew()
    {
        // 1,001 runs that match the text and the model: past CandidateSearch.DenseRuns, so the search walks run_images.
        var web = new WebTestHost("http://127.0.0.1:9");
        await using var _ = web;
        using var client = web.CreateClient();
        await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var database = web.Services.GetRequiredService<Database>();
        await Seed.CatalogAsync(database);
        await Seed.RunsAsync(database, 1001); // images 1..2002
        await database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE run_images SET score = id % 7, starred = id % 2", transaction: t));

        Assert.Equal(Enumerable.Range(0, 48).Select(n => 2002L - n), await FoundAsync(client, "?q=steaming"));
        Assert.Equal(Enumerable.Range(0, 48).Select(n => 2002L - 48 - n), await FoundAsync(client, "?q=steaming&page=1"));
        Assert.Equal(Enumerable.Range(1, 48).Select(n => (long)n), await FoundAsync(client, "?q=steaming&sort=oldest"));
        // The dense walk and the sparse sort (a work item filter) give the same order.
        foreach (var sort in new[] { "score", "starred", "newest" })
        {
            var sorted = await FoundAsync(client, $"?item=1&sort={sort}");
            Assert.Equal(sorted, await FoundAsync(client, $"?q=steaming&sort={sort}"));
            Assert.Equal(sorted, await FoundAsync(client, $"?model=offline%2Fprocedural&sort={sort}"));
        }
    }
}
