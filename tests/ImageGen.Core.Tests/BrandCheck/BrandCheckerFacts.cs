using ImageGen.Core.BrandCheck;
using ImageGen.Testing;
using NetVips;

namespace ImageGen.Core.Tests.BrandCheck;

public sealed class BrandCheckerFacts
{
    private static BrandCheckContext Context(string markdown, string type = "other", params LogoTemplate[] logos) =>
        new(BrandRules.Parse(markdown), type, logos, 42);

    private static CheckLine Line(BrandCheckResult result, string name) => Assert.Single(result.Checks, c => c.Name == name);

    [Theory] // Sharma, Wu and Dalal (2005), pairs 1, 7, 17 and 24: libvips' CIEDE2000 is the published one.
    [InlineData(50, 2.6772, -79.7751, 50, 0, -82.7485, 2.0425)]
    [InlineData(50, 0, 0, 50, -1, 2, 2.3669)]
    [InlineData(50, 2.5, 0, 73, 25, -18, 27.1492)]
    [InlineData(60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644)]
    public void DeltaE00_MatchesSharmasTestData(double l1, double a1, double b1, double l2, double a2, double b2, double expected)
    {
        var d = Lab.DeltaE00([new LabColour((float)l1, (float)a1, (float)b1)], [new LabColour((float)l2, (float)a2, (float)b2)]);

        // libvips computes in single precision: within 0.05 of the published values (the thresholds here are 5, 10 and 25).
        Assert.Equal(expected, d[0], 0.05);
    }

    [Fact]
    public void AnImageInThePalette_Passes_WithTheColoursItFound()
    {
        using var image = BrandImages.Stripes(1024, 1024, ("#1a73e8", 0.6), ("#fbbc05", 0.4));

        var result = BrandChecker.Check(image, 1024, 1024, Context("Blue #1a73e8, yellow #fbbc05."));

        Assert.Equal(BrandVerdict.Pass, result.Verdict);
        Assert.Equal(100, result.Score);
        Assert.Equal(["#1a73e8", "#fbbc05"], result.Colours!.Select(c => c.Colour)); // nearest-neighbour sampling: no blends
        Assert.Equal(0.6, result.Colours![0].Share, 0.011); // sampled every 10.7 px
        Assert.All(result.Colours!, c => Assert.True(c.DeltaE < 1));
        Assert.Matches(@"^100/100\. Closest: #1a73e8 \((59|60|61)%\) is ΔE 0\.0 from #1a73e8\.$", Line(result, "Palette").Summary);
        Assert.Equal(42, result.BrandRevisionId);
    }

    [Fact]
    public void AnOffPaletteImage_Fails_NamingTheFarthestColour()
    {
        using var image = BrandImages.Stripes(1024, 1024, ("#7f00ff", 0.7), ("#00ff7f", 0.3));

        var result = BrandChecker.Check(image, 1024, 1024, Context("Blue #1a73e8, yellow #fbbc05."));

        Assert.Equal(BrandVerdict.Fail, result.Verdict);
        Assert.True(result.Score < 10, $"score {result.Score}");
        Assert.Equal("#00ff7f", result.Colours!.MaxBy(c => c.DeltaE)!.Colour);
        Assert.Matches(@"farthest: #00ff7f \(\d+%\) is ΔE \d", Line(result, "Palette").Summary);
    }

    [Fact]
    public void APartlyOnPaletteImage_Warns_WithAScoreInBetween()
    {
        // 60 % in the palette, 40 % far from it: 60/100.
        using var image = BrandImages.Stripes(1000, 500, ("#1a73e8", 0.6), ("#00ff7f", 0.4));

        var result = BrandChecker.Check(image, 1000, 500, Context("Blue #1a73e8, yellow #fbbc05."));

        Assert.Equal(BrandVerdict.Warn, result.Verdict);
        Assert.InRange(result.Score!.Value, 58, 61);
    }

    [Fact]
    public void AvoidedColours_AreMeasured_AndMappedWhereTheyAre()
    {
        // A red stripe on the right tenth.
        using var image = BrandImages.Stripes(1200, 600, ("#1a73e8", 0.9), ("#ff0000", 0.1));

        var result = BrandChecker.Check(image, 1200, 600, Context("Blue #1a73e8.\n\n## Rules\n- Avoid: #ff0000, #00ff00"));

        Assert.Equal(BrandVerdict.Fail, result.Verdict);
        // Sampled every 12.5 px: a tenth of the width, give or take one column of samples.
        Assert.Matches(@"^#ff0000 covers (9\.\d|10|11)%\.$", Line(result, "Avoided colours").Summary);
        Assert.InRange(result.Avoided!.Single(a => a.Colour == "#ff0000").Share, 0.09, 0.11);
        Assert.Equal(0, result.Avoided!.Single(a => a.Colour == "#00ff00").Share);
        var map = result.AvoidMap!;
        Assert.Equal((12, 6), (map.Columns, map.Rows));
        for (var row = 0; row < map.Rows; row++)
        {
            Assert.Equal(100, map.Cells[(row * 12) + 11]); // the last column is all red
            Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(0, map.Cells[(row * 12) + c]));
        }
        Assert.Equal(BrandVerdict.Pass, Line(result, "Palette").Verdict); // 90 % blue: the palette passes, the red still fails the image
    }

    [Fact]
    public void AnOpaqueIcon_FailsATransparencyRule_AndACutoutPasses()
    {
        const string guide = "Blue #1a73e8.\n\n## Rules\n- Icon background: transparent";
        using var opaque = BrandImages.Stripes(512, 512, ("#1a73e8", 1));
        using var cutout = BrandImages.Cutout(512, 512, "#1a73e8", margin: 64);

        var failed = BrandChecker.Check(opaque, 512, 512, Context(guide, "icon"));
        var passed = BrandChecker.Check(cutout, 512, 512, Context(guide, "icon"));

        Assert.Equal(BrandVerdict.Fail, failed.Verdict);
        Assert.Equal("Opaque: the brand asks for a transparent background.", Line(failed, "Background").Summary);
        Assert.Equal(BrandVerdict.Pass, passed.Verdict);
        Assert.Equal("100% of the border is transparent; the brand asks for a transparent background.", Line(passed, "Background").Summary);
        // The same image as a hero: no background rule for heroes, so no background line.
        Assert.DoesNotContain(BrandChecker.Check(opaque, 512, 512, Context(guide, "hero")).Checks, c => c.Name == "Background");
    }

    [Fact]
    public void ASolidBackgroundRule_PassesAPlainGround_AndFailsABusyOne()
    {
        const string guide = "## Rules\n- Background: solid";
        using var busy = BrandImages.Scene("busy market #e91e63 #00bcd4 #ffeb3b", 800, 800);

        using var framed = BrandImages.Cutout(800, 800, "#1a73e8", 100).Flatten(background: [255, 255, 255]);
        var onWhite = BrandChecker.Check(framed, 800, 800, Context(guide));
        Assert.Equal("100% of the border is one colour (#ffffff); the brand asks for a solid background.", Line(onWhite, "Background").Summary);
        Assert.Equal(BrandVerdict.Fail, Line(BrandChecker.Check(busy, 800, 800, Context(guide)), "Background").Verdict);
    }

    [Theory]
    [InlineData("icon", 1024, 1024, "", BrandVerdict.Pass, "1024x1024 is 1:1; icons are square.")]
    [InlineData("icon", 1024, 576, "", BrandVerdict.Fail, "1024x576 is 1.778:1; icons are square.")]
    [InlineData("hero", 1088, 608, "- Hero aspect: 16:9, 21:9", BrandVerdict.Pass, "1088x608 is 16:9; the brand allows 16:9, 21:9 for heroes.")]
    [InlineData("hero", 1024, 1024, "- Hero aspect: 16:9", BrandVerdict.Fail, "1024x1024 is 1:1; the brand allows 16:9 for heroes.")]
    public void AspectRatio_IsCheckedAgainstTheTypeAndTheRules(string type, int width, int height, string rule, BrandVerdict verdict, string summary)
    {
        using var image = BrandImages.Stripes(width, height, ("#1a73e8", 1));

        var line = Line(BrandChecker.Check(image, width, height, Context($"## Rules\n{rule}", type)), "Aspect ratio");

        Assert.Equal((verdict, summary), (line.Verdict, line.Summary));
    }

    [Fact]
    public void MinimumSize_IsTheStoredFilesSize()
    {
        using var image = BrandImages.Stripes(512, 512, ("#1a73e8", 1));

        var line = Line(BrandChecker.Check(image, 512, 512, Context("## Rules\n- Minimum size: 1024x1024")), "Size");

        Assert.Equal((BrandVerdict.Fail, "512x512; the brand asks at least 1024x1024."), (line.Verdict, line.Summary));
    }

    [Theory]
    [InlineData(0.2, 100, 620)]
    [InlineData(0.35, 560, 80)]
    [InlineData(0.12, 40, 40)]
    public void ALogoPastedIn_IsFound_AndTheSameSceneWithoutItIsNot(double widthShare, int x, int y)
    {
        using var dir = new TempDirectory("logo");
        using var logo = LogoTemplate.Load(BrandImages.Save(BrandImages.Logo(), dir.Combine("logo.png")), "logo.png");
        const string guide = "## Rules\n- Logo: required";
        using var scene = BrandImages.Scene("calm lake at dawn #88c0d0 #5e81ac #eceff4");
        using var withLogo = BrandImages.WithLogo(scene, BrandImages.Logo(), widthShare, x, y);

        var found = BrandChecker.Check(withLogo, 1024, 1024, Context(guide, "other", logo));
        var missing = BrandChecker.Check(scene, 1024, 1024, Context(guide, "other", logo));

        Assert.True(found.LogoConfidence >= BrandChecker.LogoFound, $"with the logo: {found.LogoConfidence}");
        Assert.Equal(BrandVerdict.Pass, Line(found, "Logo").Verdict);
        Assert.True(missing.LogoConfidence < BrandChecker.LogoUncertain, $"without the logo: {missing.LogoConfidence}");
        Assert.Equal(BrandVerdict.Fail, Line(missing, "Logo").Verdict);
        Assert.StartsWith("Not found (confidence", Line(missing, "Logo").Summary);
    }

    [Fact]
    public void ALogoThatIsNotRequired_IsReported_ButDecidesNothing()
    {
        using var dir = new TempDirectory("logo");
        using var logo = LogoTemplate.Load(BrandImages.Save(BrandImages.Logo(), dir.Combine("logo.png")), "logo.png");
        using var image = BrandImages.Stripes(512, 512, ("#1a73e8", 1));

        var result = BrandChecker.Check(image, 512, 512, Context("Blue #1a73e8.", "other", logo));

        Assert.Equal(BrandVerdict.Info, Line(result, "Logo").Verdict);
        Assert.Equal(BrandVerdict.Pass, result.Verdict);
    }

    [Fact]
    public void ARequiredLogoWithNoAsset_IsNotChecked_WithTheReason()
    {
        using var image = BrandImages.Stripes(512, 512, ("#1a73e8", 1));

        var result = BrandChecker.Check(image, 512, 512, Context("## Rules\n- Logo: required"));

        Assert.Equal(BrandVerdict.Unchecked, result.Verdict);
        Assert.Equal("Not checked: the brand requires a logo but has no logo asset to look for.", result.Reason);
    }

    [Fact]
    public void ABrandWithNothingToCheck_IsNotChecked()
    {
        using var image = BrandImages.Stripes(512, 512, ("#1a73e8", 1));

        var result = BrandChecker.Check(image, 512, 512, Context("A friendly tone."));

        Assert.Equal(BrandVerdict.Unchecked, result.Verdict);
        Assert.Equal("The brand names no palette, colours to avoid or rules to check against.", result.Reason);
    }

    [Fact]
    public void AnImageThatCannotBeDecoded_IsNotChecked_NeverAnException()
    {
        var png = File.ReadAllBytes(BrandImages.Save(BrandImages.Stripes(256, 256, ("#1a73e8", 1)), Path.Combine(Path.GetTempPath(), $"trunc-{Guid.NewGuid():n}.png")));
        using var truncated = Image.NewFromBuffer(png[..(png.Length / 2)], access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated);

        var result = BrandChecker.Check(truncated, 256, 256, Context("Blue #1a73e8."));

        Assert.Equal(BrandVerdict.Unchecked, result.Verdict);
        Assert.StartsWith("The image could not be read for the brand check:", result.Reason);
    }

    [Fact]
    public void AFaultInTheCheckItself_IsThrown_NotRecordedAsNotChecked()
    {
        // A coding fault: a logo template used after it was disposed. Before, the check caught it (an
        // InvalidOperationException) and users saw "Logo: not checked: Safe handle has been closed"; a test saw nothing.
        using var dir = new TempDirectory("logo");
        var logo = LogoTemplate.Load(BrandImages.Save(BrandImages.Logo(), dir.Combine("logo.png")), "logo.png");
        logo.Dispose();
        using var image = BrandImages.Stripes(512, 512, ("#1a73e8", 1));

        Assert.Throws<ObjectDisposedException>(() => BrandChecker.Check(image, 512, 512, Context("Blue #1a73e8.\n\n## Rules\n- Logo: required", "other", logo)));
    }

    [Fact]
    public void TheResult_RoundTripsThroughJson()
    {
        using var image = BrandImages.Stripes(1200, 600, ("#1a73e8", 0.9), ("#ff0000", 0.1));
        var result = BrandChecker.Check(image, 1200, 600, Context("Blue #1a73e8.\n\n## Rules\n- Avoid: #ff0000"));

        var back = BrandCheckResult.FromJson(result.ToJson())!;

        Assert.Equal(result.Verdict, back.Verdict);
        Assert.Equal(result.Checks, back.Checks);
        Assert.Equal(result.AvoidMap!.Cells, back.AvoidMap!.Cells);
        Assert.Null(BrandCheckResult.FromJson("{not json"));
        // Verdicts are stored as the words they always were: rows written before the type existed read the same.
        Assert.Contains("\"verdict\":\"fail\"", result.ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"verdict\":\"pass\"", result.ToJson(), StringComparison.Ordinal);
        Assert.Null(BrandCheckResult.FromJson("{\"verdict\":\"Fail\"}"));
    }

    [Theory]
    [InlineData(BrandVerdict.Pass, "pass")]
    [InlineData(BrandVerdict.Warn, "warn")]
    [InlineData(BrandVerdict.Fail, "fail")]
    [InlineData(BrandVerdict.Unchecked, "unchecked")]
    [InlineData(BrandVerdict.Info, "info")]
    public void AVerdict_IsStoredAsItsWord_AndReadBackOnlyFromIt(BrandVerdict verdict, string word)
    {
        Assert.Equal(word, verdict.ToText());
        Assert.True(BrandVerdicts.TryParse(word, out var back));
        Assert.Equal(verdict, back);
        Assert.False(BrandVerdicts.TryParse(word.ToUpperInvariant(), out _));
        Assert.Equal(verdict, BrandVerdicts.FromStored(word));
    }

    [Fact]
    public void AStoredVerdict_ThatIsNoneOfTheWords_IsAnError_AndNullIsNoBrand()
    {
        Assert.Null(BrandVerdicts.FromStored(null));
        Assert.Throws<InvalidDataException>(() => BrandVerdicts.FromStored("2"));
        Assert.False(BrandVerdicts.TryParse("2", out _));
    }
}
