using System.Globalization;
using System.Text.RegularExpressions;
using ImageGen.Core.BrandCheck;
using ImageGen.Core.Generation;
using ImageGen.Testing;
using ImageGen.Core.Storage;

namespace ImageGen.Core.Tests.BrandCheck;

/// <summary>docs/BRAND-CHECK.md's thresholds table states the code's constants: a change to either fails here.</summary>
public sealed partial class BrandCheckDocFacts
{
    private static readonly Dictionary<string, double> Code = new()
    {
        ["BrandChecker.WorkSide"] = BrandChecker.WorkSide,
        ["BrandChecker.Clusters"] = BrandChecker.Clusters,
        ["BrandChecker.OnPaletteDeltaE"] = BrandChecker.OnPaletteDeltaE,
        ["BrandChecker.OffPaletteDeltaE"] = BrandChecker.OffPaletteDeltaE,
        ["BrandChecker.PassScore"] = BrandChecker.PassScore,
        ["BrandChecker.WarnScore"] = BrandChecker.WarnScore,
        ["BrandChecker.AvoidDeltaE"] = BrandChecker.AvoidDeltaE,
        ["BrandChecker.AvoidWarnShare"] = BrandChecker.AvoidWarnShare,
        ["BrandChecker.AvoidFailShare"] = BrandChecker.AvoidFailShare,
        ["BrandChecker.LogoFound"] = BrandChecker.LogoFound,
        ["BrandChecker.LogoUncertain"] = BrandChecker.LogoUncertain,
        ["BrandChecker.AspectTolerance"] = BrandChecker.AspectTolerance,
        ["BrandChecker.HeatColumns"] = BrandChecker.HeatColumns,
        ["BrandChecker.WarnCap"] = BrandChecker.WarnCap,
        ["BrandChecker.FailCap"] = BrandChecker.FailCap,
        ["BrandChecker.VisibleAlpha"] = BrandChecker.VisibleAlpha,
        ["BrandChecker.NamedColourShare"] = BrandChecker.NamedColourShare,
        ["BrandChecker.BorderShare"] = BrandChecker.BorderShare,
        ["BrandChecker.ClearAlpha"] = BrandChecker.ClearAlpha,
        ["BrandChecker.ClearBorderShare"] = BrandChecker.ClearBorderShare,
        ["BrandChecker.OpaqueAlpha"] = BrandChecker.OpaqueAlpha,
        ["BrandChecker.SolidOpaqueShare"] = BrandChecker.SolidOpaqueShare,
        ["BrandChecker.SolidDeltaE"] = BrandChecker.SolidDeltaE,
        ["BrandChecker.SolidPassShare"] = BrandChecker.SolidPassShare,
        ["BrandChecker.SolidWarnShare"] = BrandChecker.SolidWarnShare,
        ["Lab.MaxRounds"] = Lab.MaxRounds,
        ["LogoMatcher.FineSide"] = LogoMatcher.FineSide,
        ["LogoMatcher.FinePlaces"] = LogoMatcher.FinePlaces,
        ["LogoTemplate.MaxSide"] = LogoTemplate.MaxSide,
        ["BrandCheckSource.MaxLogos"] = BrandCheckSource.MaxLogos,
        ["BrandInsights.MinPicks"] = BrandInsights.MinPicks,
        ["BrandInsights.Significance"] = BrandInsights.Significance,
        ["BrandInsights.MaxPicks"] = BrandInsights.MaxPicks,
        ["BrandInsights.TopWords"] = BrandInsights.TopWords,
        ["BrandInsights.MinWordLength"] = BrandInsights.MinWordLength,
        ["RunQueries.FilteredLimit"] = RunQueries.FilteredLimit,
        ["LogoTemplate.Scales"] = LogoTemplate.Scales.Count,
    };

    [GeneratedRegex(@"^\| (?<name>\w+\.\w+) \| (?<value>[0-9.]+) \|$", RegexOptions.Multiline)]
    private static partial Regex Row();

    [Fact]
    public void TheThresholdsTable_IsTheCode()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "BRAND-CHECK.md")).ReplaceLineEndings("\n");

        var rows = Row().Matches(doc).ToDictionary(m => m.Groups["name"].Value, m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

        Assert.Equal(Code.OrderBy(p => p.Key), rows.OrderBy(p => p.Key));
    }

    [Fact]
    public void TheScales_StartAtATenth_EachTwelveTenthsOfTheLast()
    {
        Assert.Equal(0.1, LogoTemplate.Scales[0]);
        Assert.All(LogoTemplate.Scales.Zip(LogoTemplate.Scales.Skip(1)), p => Assert.Equal(1.2, p.Second / p.First, 2));
    }
}
