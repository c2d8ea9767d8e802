namespace ImageGen.Web.Tests;

public sealed class HistoryPagingFacts
{
    private const string Item = "/projects/launch/items/hero";

    [Fact]
    public async Task History_ShowsRunsUpTo24CandidatesAPage_WithOlderLinks_AndStarringKeepsThePage()
    {
        var (web, client, _) = await WebTestHost.StartAsync(runs: 17); // runs 1..17, images 2n-1 and 2n
        await using var __ = web;
        using var ___ = client;

        // 24 candidates a page (RunQueries.CandidatesPerPage): runs 17..6 of two each, then 5..1.
        var first = await Forms.GetPageAsync(client, Item);
        Assert.Equal(12, System.Text.RegularExpressions.Regex.Matches(first, "data-testid=\"run\"").Count);
        Assert.Equal(24, System.Text.RegularExpressions.Regex.Matches(first, "data-testid=\"candidate\"").Count);
        Assert.Contains("<h3>Run #17</h3>", first, StringComparison.Ordinal);
        Assert.DoesNotContain("<h3>Run #5</h3>", first, StringComparison.Ordinal);
        Assert.Contains($"href=\"{Item}?before=6\" rel=\"next\">Older", first, StringComparison.Ordinal);

        var older = await Forms.GetPageAsync(client, $"{Item}?before=6");
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Matches(older, "data-testid=\"run\"").Count);
        Assert.Contains("<h3>Run #5</h3>", older, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", older, StringComparison.Ordinal);
        Assert.Contains($"href=\"{Item}\">", older, StringComparison.Ordinal); // back to the newest

        // Starring image 1 (run 1, on the older page) comes back to that page, at the image.
        Assert.Contains($"action=\"{Item}?before=6&amp;handler=Star\"", older, StringComparison.Ordinal);
        using var star = await Forms.PostAsync(client, $"{Item}?before=6",
            new Dictionary<string, string> { ["imageId"] = "1", ["starred"] = "true" }, $"{Item}?before=6&handler=Star");
        Assert.Equal($"{Item}?before=6#image-1", star.Headers.Location!.OriginalString);
    }
}
