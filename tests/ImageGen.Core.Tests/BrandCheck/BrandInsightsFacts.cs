using ImageGen.Core.BrandCheck;
using ImageGen.Core.Storage;

namespace ImageGen.Core.Tests.BrandCheck;

public sealed class BrandInsightsFacts
{
    [Theory] // exact two-sided binomial test against 1/2, worked by hand: 2 * sum_{k>=x} C(n,k) / 2^n
    [InlineData(11, 12, 2 * 13 / 4096.0)]
    [InlineData(1, 12, 2 * 13 / 4096.0)]
    [InlineData(9, 10, 2 * 11 / 1024.0)]
    [InlineData(6, 12, 1)]
    [InlineData(0, 0, 1)]
    [InlineData(10, 10, 2 / 1024.0)]
    public void BinomialPValue_IsTheExactTwoSidedTest(int wins, int picks, double expected)
    {
        Assert.Equal(expected, BrandInsights.BinomialPValue(wins, picks), 1e-12);
    }

    [Fact]
    public void BinomialPValue_StaysFiniteForManyPicks()
    {
        var p = BrandInsights.BinomialPValue(10_500, 20_000);
        Assert.InRange(p, 0, 1e-9);
        Assert.Equal(1, BrandInsights.BinomialPValue(10_000, 20_000));
    }

    [Fact]
    public void Words_AreDistinctLowerCaseAndMeaningful()
    {
        Assert.Equal(["bolder", "colours", "cleaner", "logo's"], BrandInsights.Words("Bolder colours, cleaner; the logo's bolder and it's better."));
    }
}
