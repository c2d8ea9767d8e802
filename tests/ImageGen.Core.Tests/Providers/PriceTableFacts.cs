using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Providers;

public sealed class PriceTableFacts
{
    [Fact]
    public void TheDefaults_PriceEveryListedModel_AndSayWhenTheyWereTaken()
    {
        var prices = PriceTable.Defaults;
        Assert.Equal("2026-11-25", prices.Taken);
        foreach (var model in new[] { "offline/procedural", "openai/gpt-image-2", "openai/gpt-image-2-2026-04-21", "openai/gpt-image-1.5", "openai/gpt-image-1-mini",
            "google/gemini-3.1-flash-image", "google/gemini-3-pro-image-preview", "google/gemini-2.5-flash-image", "compat/default", "a1111/default", "comfyui/default" })
        {
            Assert.NotNull(prices.Find(model));
        }
        Assert.Null(prices.Find("openai/some-future-model"));
    }

    [Fact]
    public void TokenPrices_AreAppliedPerKind()
    {
        // gpt-image-2: text in $5, image in $8, text out $10, image out $30 per 1M.
        var cost = PriceTable.Defaults.Cost("openai/gpt-image-2", new ModelUsage(1_000, 2_000, 0, 4_160), 1);
        Assert.Equal((1_000 * 5m + 2_000 * 8m + 4_160 * 30m) / 1_000_000m, cost.Usd);
        Assert.Equal(0m, PriceTable.Defaults.Cost("offline/procedural", null, 4).Usd);
        Assert.Equal("no charge", PriceTable.Defaults.Cost("a1111/default", null, 2).Basis);
    }

    [Fact]
    public void WithoutUsageOrAPrice_TheCostIsUnknown_AndSaysWhy()
    {
        var noUsage = PriceTable.Defaults.Cost("openai/gpt-image-2", null, 1);
        Assert.Null(noUsage.Usd);
        Assert.Contains("reported no usage", noUsage.Basis, StringComparison.Ordinal);
        var noPrice = PriceTable.Defaults.Cost("openai/unknown", new ModelUsage(1, 0, 0, 1), 1);
        Assert.Null(noPrice.Usd);
        Assert.Contains("IMAGEGEN_PRICES_FILE", noPrice.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOverrideFile_IsLaidOverTheDefaults_ExactIdsBeforePrefixes()
    {
        using var dir = new TempDirectory("prices");
        var file = Path.Combine(dir.Path, "prices.json");
        File.WriteAllText(file, """
            { "taken": "2027-01-02", "models": {
                "openai/gpt-image-2-2026-04-21": { "imageOutput": 20, "textInput": 1 },
                "compat/*": { "perImage": 0.002 } } }
            """);
        var prices = PriceTable.FromEnvironment(name => name == PriceTable.FileVariable ? file : null);
        Assert.Equal("2027-01-02", prices.Taken);
        Assert.Equal(20m, prices.Find("openai/gpt-image-2-2026-04-21")!.ImageOutput);
        Assert.Equal(30m, prices.Find("openai/gpt-image-2")!.ImageOutput);
        Assert.Equal(0.004m, prices.Cost("compat/flux", null, 2).Usd);
    }

    [Theory]
    [InlineData("""{ "models": { "x/y": { "perImage": -1 } } }""", "negative")]
    [InlineData("""{ "models": { "x/y": { "perImage": "cheap" } } }""", "could not be read")]
    [InlineData("not json", "could not be read")]
    public void ABadOverrideFile_IsAUsageErrorNamingIt(string content, string message)
    {
        using var dir = new TempDirectory("prices-bad");
        var file = Path.Combine(dir.Path, "prices.json");
        File.WriteAllText(file, content);
        var e = Assert.Throws<ImageGenException>(() => PriceTable.FromEnvironment(name => name == PriceTable.FileVariable ? file : null));
        Assert.Equal(ErrorKind.Usage, e.Kind);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
