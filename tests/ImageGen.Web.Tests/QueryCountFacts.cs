using ImageGen.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ImageGen.Web.Tests;

/// <summary>A page runs the same number of SQL statements whether it shows 1 row or 200 (no N+1).</summary>
public sealed class QueryCountFacts
{
    private static async Task<long> StatementsForAsync(int rows, string url)
    {
        var (web, client, database) = await WebTestHost.StartAsync();
        await using var _web = web;
        using var _client = client;
        await Seed.RunsAsync(database, rows);
        await client.GetAsync(url, TestContext.Current.CancellationToken); // warm up: first-request work is not the page's

        var counter = new StatementCounter();
        database.StatementCounter = counter;
        var html = await Forms.GetPageAsync(client, url);
        database.StatementCounter = null;

        Assert.Contains("</html>", html, StringComparison.Ordinal);
        return counter.Count;
    }

    [Theory]
    [InlineData("/projects/launch/items/hero")]
    [InlineData("/jobs")]
    [InlineData("/jobs?status=succeeded")]
    [InlineData("/")]
    public async Task Page_RunsTheSameStatements_With1And200Rows(string url)
    {
        var one = await StatementsForAsync(1, url);
        var many = await StatementsForAsync(200, url);

        Assert.True(one > 0, "the counter saw no statements");
        Assert.Equal(one, many);
    }
}
