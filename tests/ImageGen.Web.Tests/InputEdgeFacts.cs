using System.Net;
using Dapper;

namespace ImageGen.Web.Tests;

/// <summary>Numbers at their edges and oversize posts: a message where the input came from, and nothing changes.</summary>
public sealed class InputEdgeFacts
{
    private const string Item = "/projects/launch/items/hero";

    [Theory]
    [InlineData("2147483648")]
    [InlineData("9223372036854775807")]
    [InlineData("-1")]
    public async Task Generate_WithASeedOutOfRange_SaysSo_AndQueuesNothing(string seed)
    {
        var (web, client, database) = await WebTestHost.StartAsync();
        await using var _ = web;
        using var __ = client;
        var page = await Forms.GetPageAsync(client, Item);

        using var response = await Forms.PostAsync(client, Item, new Dictionary<string, string>
        {
            ["Generate.Models"] = "offline/procedural", ["Generate.Format"] = "png", ["Generate.Count"] = "1",
            ["Generate.Seed"] = seed, ["Generate.IdempotencyKey"] = Forms.IdempotencyKey(page),
        }, $"{Item}?handler=Generate");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The seed must be a whole number from 0 to 2147483647.", await Forms.BodyAsync(response), StringComparison.Ordinal);
        Assert.Equal(0, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs")));
    }

    [Theory]
    [InlineData("/search?page=99999999999", "'99999999999' is not a valid page: it must be a page number from 0 to 10000; it was ignored.")]
    [InlineData("/search?page=44739243", "'44739243' is not a valid page: it must be a page number from 0 to 10000; it was ignored.")] // × 48 passes int.MaxValue
    [InlineData("/search?page=10001", "'10001' is not a valid page: it must be a page number from 0 to 10000; it was ignored.")]
    [InlineData("/search?page=2147483647", "'2147483647' is not a valid page: it must be a page number from 0 to 10000; it was ignored.")]
    [InlineData("/search?page=-3", "'-3' is not a valid page")]
    [InlineData("/search?item=0", "'0' is not a valid item: it must be a work item id, 1 or more")]
    [InlineData("/jobs?before=-5", "'-5' is not a valid before")]
    [InlineData("/jobs?before=abc", "'abc' is not a valid before")]
    [InlineData("/projects?before=99999999999999999999999", "is not a valid before")]
    [InlineData("/projects/launch/items/hero/diff?a=x&b=1", "'x' is not a valid a")]
    public async Task QueryNumbers_OutOfRangeOrUnreadable_AreIgnoredWithABanner(string url, string message)
    {
        var (web, client, _) = await WebTestHost.StartAsync(runs: 1);
        await using var __ = web;
        using var ___ = client;

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Forms.BodyAsync(response);
        Assert.Contains("data-testid=\"query-problem\"", body, StringComparison.Ordinal);
        Assert.Contains(message, WebUtility.HtmlDecode(body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/search?q=cup")]
    [InlineData("/search?page=2&sort=score")]
    [InlineData("/jobs?before=5")]
    public async Task GoodQueries_GetNoBanner(string url)
    {
        var (web, client, _) = await WebTestHost.StartAsync(runs: 1);
        await using var __ = web;
        using var ___ = client;

        var body = await Forms.GetPageAsync(client, url);

        Assert.DoesNotContain("data-testid=\"query-problem\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("banner-error", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizeFormValue_GetsAReadablePage_AndSavesNothing()
    {
        var (web, client, database) = await WebTestHost.StartAsync();
        await using var _ = web;
        using var __ = client;
        var page = await Forms.GetPageAsync(client, Item);

        using var response = await Forms.PostAsync(client, Item, new Dictionary<string, string>
        {
            ["Generate.Models"] = "offline/procedural", ["Generate.Format"] = "png", ["Generate.Count"] = "1",
            ["Generate.Adjustment"] = new string('a', 3 * 1024 * 1024), ["Generate.IdempotencyKey"] = Forms.IdempotencyKey(page),
        }, $"{Item}?handler=Generate");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await Forms.BodyAsync(response);
        Assert.Contains("<h1>The request could not be read</h1>", body, StringComparison.Ordinal);
        Assert.Contains("at most 2 MiB as sent", body, StringComparison.Ordinal);
        Assert.Equal(0, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs")));
    }
}
