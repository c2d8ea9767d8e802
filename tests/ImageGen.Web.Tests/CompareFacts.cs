using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using ImageGen.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ImageGen.Web.Tests;

public sealed partial class CompareFacts
{
    private const string Page = "/projects/launch/items/hero/compare";

    [GeneratedRegex("""name="left" value="(\d+)" />\s*<input type="hidden" name="right" value="(\d+)" """)]
    private static partial Regex PairPattern();

    private static Task<(WebTestHost Web, HttpClient Client, Database Database)> StartAsync(int runs = 2) => WebTestHost.StartAsync(runs: runs);

    private static async Task<(long Left, long Right)> CurrentPairAsync(HttpClient client)
    {
        var match = PairPattern().Match(await Forms.GetPageAsync(client, Page));
        Assert.True(match.Success, "the compare page shows no pair");
        return (long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static Task<HttpResponseMessage> PickAsync(HttpClient client, long left, long right, string choice, string reason = "") =>
        Forms.PostAsync(client, Page, new Dictionary<string, string>
        {
            ["left"] = left.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["right"] = right.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["choice"] = choice,
            ["reason"] = reason,
        });

    [Fact]
    public async Task Pick_IsStoredWithItsReason_AndScoresFollow_AndTheNextPairIsNew()
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;
        var (left, right) = await CurrentPairAsync(client);
        Assert.NotEqual(left, right);

        using var response = await PickAsync(client, left, right, "left", "warmer light");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await database.ReadAsync(c => c.QuerySingleAsync<(long Winner, string Reason)>("SELECT winner_image_id, reason FROM comparisons"));
        Assert.Equal((left, "warmer light"), stored);
        var scores = (await database.ReadAsync(c => c.QueryAsync<(long Id, double Score)>("SELECT id, score FROM run_images"))).ToDictionary(s => s.Id, s => s.Score);
        Assert.True(scores[left] > scores[right]);
        var next = await CurrentPairAsync(client);
        Assert.NotEqual((left, right), next);
        Assert.DoesNotContain(left, new[] { next.Left, next.Right }); // the two unseen candidates come first
        Assert.DoesNotContain(right, new[] { next.Left, next.Right });
    }

    [Fact]
    public async Task EveryCandidateCounts_TheOldestOf600CanBeComparedAndIsRanked()
    {
        // 300 runs of two: 600 candidates, 100 more than the 500 compare and ranking used to load.
        var (web, client, database) = await StartAsync(runs: 300);
        await using var _ = web;
        using var __ = client;
        var pair = PairPattern().Match(await Forms.GetPageAsync(client, Page + "?with=1"));
        Assert.True(pair.Success, "no pair with the oldest candidate");
        Assert.Equal("1", pair.Groups[1].Value);
        var opponent = long.Parse(pair.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);

        using var response = await PickAsync(client, 1, opponent, "left", "the oldest is best");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var ranking = await client.GetStringAsync("/projects/launch/items/hero/ranking", TestContext.Current.CancellationToken);
        var ranked = Regex.Matches(ranking, "<tr data-testid=\"ranked\" data-image-id=\"(\\d+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(600, ranked.Count);
        Assert.Equal("1", ranked[0]);
        // A pick touches its two candidates' scores only: the other 598 are still unscored (the average).
        Assert.Equal(2, await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT count(*) FROM run_images WHERE score IS NOT NULL")));
    }

    [Fact]
    public async Task ThreePicksAndASkip_RankTheWinnerFirst_WithThePicksBehindIt()
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;
        long favourite = 0;
        for (var i = 0; i < 3; i++)
        {
            var (left, right) = await CurrentPairAsync(client);
            favourite = favourite == 0 ? left : favourite;
            var choice = right == favourite ? "right" : "left";
            using var pick = await PickAsync(client, left, right, choice, i == 0 ? "closest to the palette" : "");
            Assert.Equal(HttpStatusCode.Redirect, pick.StatusCode);
        }
        var (l, r) = await CurrentPairAsync(client);
        using var skip = await PickAsync(client, l, r, "skip");

        Assert.Equal(4, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM comparisons")));
        Assert.Equal(1, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM comparisons WHERE winner_image_id IS NULL")));
        var ranking = await Forms.GetPageAsync(client, "/projects/launch/items/hero/ranking");
        var order = Regex.Matches(ranking, "data-testid=\"ranked\" data-image-id=\"(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(4, order.Count);
        Assert.Contains("closest to the palette", ranking, StringComparison.Ordinal);
        Assert.Contains("skipped", ranking, StringComparison.Ordinal);
        var winsOfFirst = await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM comparisons WHERE winner_image_id = @id", new { id = order[0] }));
        Assert.True(winsOfFirst >= 1, "the top of the ranking has no wins");
    }

    [Theory]
    [InlineData(1, 999, "left", "not candidates of this work item")]
    [InlineData(1, 1, "left", "not candidates of this work item")]
    [InlineData(1, 2, "both", "pick left, right or skip")]
    public async Task Pick_OfBadInput_IsRefused_AndRecordsNothing(long left, long right, string choice, string message)
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;

        using var response = await PickAsync(client, left, right, choice);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(message, await Forms.GetPageAsync(client, Page), StringComparison.Ordinal);
        Assert.Equal(0, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM comparisons")));
    }

    [Fact]
    public async Task Pick_WithAnOversizeReason_RecordsNothing()
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;
        var (left, right) = await CurrentPairAsync(client);

        using var response = await PickAsync(client, left, right, "left", new string('r', 501));

        Assert.Contains("the reason is too long", await Forms.GetPageAsync(client, Page), StringComparison.Ordinal);
        Assert.Equal(0, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM comparisons")));
    }

    [Fact]
    public async Task Compare_WithFewerThanTwoCandidates_SaysWhatToDo()
    {
        var (web, client, _) = await StartAsync(runs: 0);
        await using var __ = web;
        using var ___ = client;

        Assert.Contains("Comparing needs at least two candidates", await Forms.GetPageAsync(client, Page), StringComparison.Ordinal);
    }
}
