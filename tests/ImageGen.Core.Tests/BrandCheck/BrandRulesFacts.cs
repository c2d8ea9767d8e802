using ImageGen.Core.BrandCheck;
using ImageGen.Core.Imaging;

namespace ImageGen.Core.Tests.BrandCheck;

public sealed class BrandRulesFacts
{
    private const string Guide = """
        # Acme

        Primary #1a73e8, accent #fbbc05.

        Never use: #ff0000 (it reads as an error).

        ## Brand rules
        - Background: any
        - Icon background: transparent
        - Background (hero, thumbnail): solid
        - Aspect ratio (hero): 16:9, 21:9
        - Minimum size: 1024x1024
        - Thumbnail min size: 512
        - Logo (hero): required
        - Keep it friendly: always
        - Background: glittery

        ## Voice
        - Aspect: 1:1
        """;

    [Fact]
    public void Palette_IsEveryHexColour_ButTheAvoidedOnes()
    {
        var rules = BrandRules.Parse(Guide);

        Assert.Equal([new Rgb(0x1a, 0x73, 0xe8), new Rgb(0xfb, 0xbc, 0x05)], rules.Palette);
        Assert.Equal([new Rgb(0xff, 0, 0)], rules.Avoid);
    }

    [Fact]
    public void TypeLines_OverrideGeneralOnes_AndIconsAreSquareByDefault()
    {
        var rules = BrandRules.Parse(Guide);

        var icon = rules.For("icon");
        Assert.Equal(BackgroundRule.Transparent, icon.Background);
        Assert.Equal([new AspectRatio(1, 1)], icon.Aspects);
        Assert.True(icon.AspectFromType);
        Assert.Equal((1024, 1024), (icon.MinWidth, icon.MinHeight));
        Assert.False(icon.LogoRequired);

        var hero = rules.For("hero");
        Assert.Equal(BackgroundRule.Solid, hero.Background);
        Assert.Equal([new AspectRatio(16, 9), new AspectRatio(21, 9)], hero.Aspects);
        Assert.True(hero.LogoRequired);

        var thumbnail = rules.For("thumbnail");
        Assert.Equal((512, 512), (thumbnail.MinWidth, thumbnail.MinHeight));
        Assert.Equal(BackgroundRule.Solid, thumbnail.Background);

        var other = rules.For("other");
        Assert.Equal(BackgroundRule.Any, other.Background);
        Assert.Empty(other.Aspects);
    }

    [Fact]
    public void LinesItCannotRead_AreKeptWithWhy_AndRulesOutsideTheSectionAreIgnored()
    {
        var rules = BrandRules.Parse(Guide);

        Assert.Equal(2, rules.Unread.Count);
        Assert.Contains(rules.Unread, u => u.StartsWith("Keep it friendly: always", StringComparison.Ordinal) && u.Contains("not a \"key: value\" line"));
        Assert.Contains(rules.Unread, u => u.StartsWith("Background: glittery", StringComparison.Ordinal) && u.Contains("transparent, solid or any"));
        // "Aspect: 1:1" sits under "Voice", not under the rules: illustrations keep any ratio.
        Assert.Empty(rules.For("illustration").Aspects);
    }

    [Theory]
    [InlineData("Background (logo): transparent", "'logo' is not a work item type")]
    [InlineData("Aspect: wide", "ratios are written like 1:1")]
    [InlineData("Aspect: 0:9", "ratios are written like 1:1")]
    [InlineData("Minimum size: huge", "a minimum size is written like")]
    [InlineData("Minimum size: 99999", "a minimum size is written like")]
    [InlineData("Logo: sometimes", "a logo is required or optional")]
    public void BadValues_AreUnread_NotGuessed(string line, string why)
    {
        var rules = BrandRules.Parse($"## Rules\n- {line}\n");

        Assert.Contains(why, Assert.Single(rules.Unread));
        Assert.True(rules.IsEmpty);
    }

    [Fact]
    public void NoMarkdown_MeansNothingToCheck()
    {
        Assert.True(BrandRules.Parse("").IsEmpty);
        Assert.True(BrandRules.Parse("Just words about tone.").IsEmpty);
    }
}
