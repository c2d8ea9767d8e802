using System.Text.RegularExpressions;
using ImageGen.Testing;
using ImageGen.Core.Storage;
using ImageGen.Core.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ImageGen.Web.Tests;

/// <summary>A page runs the same number of SQL statements whether it shows 1 row or 200 (no N+1).</summary>
public sealed partial class QueryCountFacts
{
    private static async Task<long> StatementsForAsync(int rows, string url)
    {
        var (web, client, database) = await WebTestHost.StartAsync();
        await using var _web = web;
        using var _client = client;
        await Seed.RunsAsync(database, rows);
        await client.GetAsync(url, TestContext.Current.CancellationToken); // warm up: first-request work is not the page's

        var sqlite = (SqliteDatabase)database;
        var counter = new StatementCounter();
        sqlite.StatementCounter = counter;
        var html = await Forms.GetPageAsync(client, url);
        sqlite.StatementCounter = null;

        Assert.Contains("</html>", html, StringComparison.Ordinal);
        return counter.Count;
    }

    [Theory]
    [InlineData("/projects/launch/items/hero")]
    [InlineData("/jobs")]
    [InlineData("/jobs?status=succeeded")]
    [InlineData("/")]
    [InlineData("/projects/launch/items/hero?sort=brand")]
    [InlineData("/search?brand=pass&sort=brand")]
    [InlineData("/brands/acme/insights")]
    public async Task Page_RunsTheSameStatements_With1And200Rows(string url)
    {
        var one = await StatementsForAsync(1, url);
        var many = await StatementsForAsync(200, url);

        Assert.True(one > 0, "the counter saw no statements");
        Assert.Equal(one, many);
    }

    /// <summary>The statement counts docs/WEB.md gives, in the words it gives them.</summary>
    [GeneratedRegex(@"jobs list (\d+), dashboard (\d+), work item page (\d+)")]
    private static partial Regex WebDocCounts();

    /// <summary>A row of the load table in docs/BENCHMARKS.md: its first cell's start and its last cell.</summary>
    private static long BenchmarksCount(string rowStart)
    {
        var row = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "BENCHMARKS.md"))
            .Single(l => l.StartsWith("| " + rowStart, StringComparison.Ordinal));
        return long.Parse(row.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task TheCountsTheDocsGive_AreTheCountsThePagesRun()
    {
        var web = WebDocCounts().Match(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "docs", "WEB.md"), TestContext.Current.CancellationToken));
        Assert.True(web.Success, "docs/WEB.md no longer states the counts as 'jobs list N, dashboard N, work item page N'");
        var jobs = await StatementsForAsync(1, "/jobs");
        var dashboard = await StatementsForAsync(1, "/");
        var item = await StatementsForAsync(1, "/projects/launch/items/hero");

        Assert.Equal((jobs, dashboard, item), (long.Parse(web.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(web.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), long.Parse(web.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(item, BenchmarksCount("work item"));
        Assert.Equal(jobs, BenchmarksCount("jobs list, first page"));
        Assert.Equal(jobs, BenchmarksCount("jobs list, `status=succeeded`"));
        Assert.Equal(dashboard, BenchmarksCount("dashboard"));
    }
}
