using System.Diagnostics;
using System.Globalization;
using ImageGen.Core.Imaging;
using NetVips;
using static System.FormattableString;

namespace ImageGen.Core.BrandCheck;

/// <summary>
/// Checks one candidate against its brand (docs/BRAND-CHECK.md): palette adherence, avoided colours, size and aspect ratio,
/// background, logo. Works on a small copy of the image already decoded for its thumbnail, so it decodes nothing itself.
/// Only an image whose pixels cannot be read (libvips' load error) is recorded as not checked, with the reason; a logo that
/// cannot be read is found out before, by <see cref="BrandCheckSource"/>. Any other exception is a fault in the check and is
/// thrown: it must fail a test, not pass as "not checked" (the worker's ingest keeps the images and logs it as an error).
/// </summary>
public static class BrandChecker
{
    /// <summary>Long side of the sample the colour checks work on (one pixel in 16 of a 1024 px image).</summary>
    public const int WorkSide = 64;

    /// <summary>Most dominant colours found.</summary>
    public const int Clusters = 6;

    /// <summary>CIEDE2000 at or under which a colour counts as the palette colour (full marks).</summary>
    public const double OnPaletteDeltaE = 5;

    /// <summary>CIEDE2000 at or over which a colour earns nothing; linear between.</summary>
    public const double OffPaletteDeltaE = 25;

    /// <summary>Palette score at or above which the palette check passes, and at or above which it only warns.</summary>
    public const double PassScore = 70, WarnScore = 45;

    /// <summary>CIEDE2000 within which a pixel counts as an avoided colour.</summary>
    public const double AvoidDeltaE = 10;

    /// <summary>Share of visible pixels in an avoided colour from which the check warns, and from which it fails.</summary>
    public const double AvoidWarnShare = 0.005, AvoidFailShare = 0.02;

    /// <summary>Logo confidence from which a required logo counts as present, and from which it is only uncertain.</summary>
    public const double LogoFound = 0.7, LogoUncertain = 0.5;

    /// <summary>Relative difference within which an aspect ratio counts as the rule's (1088x608 is 16:9).</summary>
    public const double AspectTolerance = 0.02;

    /// <summary>Columns of the avoided colours' heat map (its rows follow the image's proportions).</summary>
    public const int HeatColumns = 12;

    /// <summary>Alpha from which a pixel is visible: the colour checks count only these.</summary>
    public const int VisibleAlpha = 128;

    /// <summary>Share of the visible pixels from which a dominant colour is named in the palette line (closest and farthest).</summary>
    public const double NamedColourShare = 0.02;

    /// <summary>The border the background check reads: this share of the shorter side on every side (at least one pixel).</summary>
    public const double BorderShare = 0.04;

    /// <summary>Alpha under which a pixel counts as transparent.</summary>
    public const int ClearAlpha = 32;

    /// <summary>Share of the border that must be transparent for a transparent background to pass.</summary>
    public const double ClearBorderShare = 0.8;

    /// <summary>Alpha from which a border pixel counts as opaque for a solid background.</summary>
    public const int OpaqueAlpha = 224;

    /// <summary>Share of the border that must be opaque before a solid background is measured at all; under it, it fails.</summary>
    public const double SolidOpaqueShare = 0.9;

    /// <summary>CIEDE2000 within which a border pixel counts as the border's own colour (its median-lightness pixel).</summary>
    public const double SolidDeltaE = 5;

    /// <summary>Share of the opaque border within <see cref="SolidDeltaE"/> of its colour from which a solid background passes, and from which it only warns.</summary>
    public const double SolidPassShare = 0.9, SolidWarnShare = 0.7;

    /// <summary>The brand score of a candidate with no palette to measure, before warnings and failures cap it.</summary>
    private const double FullScore = 100;

    /// <summary>Highest brand score a candidate with a warning, and with a failure, can have.</summary>
    public const double WarnCap = 69, FailCap = 39;

    /// <param name="image">The decoded image at any size (the 768 px thumbnail), sRGB with or without alpha.</param>
    /// <param name="width">The stored file's width.</param>
    /// <param name="height">The stored file's height.</param>
    /// <returns>The result; not checked, with the reason, when the image's pixels cannot be decoded.</returns>
    /// <remarks>Throws anything else it meets: a fault in the check is a bug to fix, not a verdict.</remarks>
    public static BrandCheckResult Check(Image image, int width, int height, BrandCheckContext context)
    {
        if (context.Problem is { } problem)
        {
            return BrandCheckResult.NotChecked(problem, context.BrandRevisionId);
        }
        var clock = Stopwatch.StartNew();
        var rules = context.Rules;
        var type = rules.For(context.WorkItemType);
        var lines = new List<CheckLine>();
        BrandCheckResult result = new() { BrandRevisionId = context.BrandRevisionId };
        Image work;
        byte[] rgba;
        try
        {
            // Colours from a nearest-neighbour sample: real pixel colours, none made up by a resampling filter's blending
            // and ringing at hard edges. The logo search gets a smoothly shrunk copy instead. The image's pixels are first
            // read here, so this is where one that cannot be decoded says so, and the only place that is expected.
            var scale = Math.Min(1.0, (double)WorkSide / Math.Max(image.Width, image.Height));
            using var sample = image.Resize(scale, kernel: Enums.Kernel.Nearest);
            work = sample.CopyMemory();
            rgba = Pixels.Rgba(work);
        }
        catch (VipsException e)
        {
            return BrandCheckResult.NotChecked($"The image could not be read for the brand check: {e.Message}", context.BrandRevisionId);
        }
        using (work)
        {
            int w = work.Width, h = work.Height;
            var visible = new byte[w * h];
            for (var i = 0; i < visible.Length; i++)
            {
                visible[i] = rgba[(i * 4) + 3] >= VisibleAlpha ? (byte)1 : (byte)0;
            }
            var visibleCount = visible.Count(v => v != 0);
            // Lab only for the checks that compare colours.
            var lab = visibleCount > 0 && (rules.Palette.Count > 0 || rules.Avoid.Count > 0 || type.Background == BackgroundRule.Solid) ? Lab.Of(work) : [];

            result = result with { Score = PaletteCheck(rules, lab, rgba, visible, visibleCount, lines, out var colours), Colours = colours };
            result = AvoidCheck(rules, lab, visible, visibleCount, w, h, lines, result);
            SizeCheck(type, width, height, context.WorkItemType, lines);
            BackgroundCheck(type, rgba, lab, w, h, lines);
            result = result with { LogoConfidence = LogoCheck(type, image, context, lines) };
        }
        var judged = lines.Where(l => l.Verdict.IsJudged()).ToList();
        // The judged verdicts are declared best to worst: the worst is the largest.
        var verdict = judged.Count == 0 ? BrandVerdict.Unchecked : judged.Max(l => l.Verdict);
        double? brandScore = verdict switch
        {
            BrandVerdict.Unchecked => null,
            BrandVerdict.Fail => Math.Min(result.Score ?? FullScore, FailCap),
            BrandVerdict.Warn => Math.Min(result.Score ?? FullScore, WarnCap),
            _ => result.Score ?? FullScore,
        };
        return result with
        {
            Verdict = verdict,
            BrandScore = brandScore,
            Checks = lines,
            Reason = verdict == BrandVerdict.Unchecked
                ? lines.FirstOrDefault(l => l.Verdict == BrandVerdict.Unchecked)?.Summary ?? "The brand names no palette, colours to avoid or rules to check against."
                : null,
            Milliseconds = Math.Round(clock.Elapsed.TotalMilliseconds, 2),
        };
    }

    private static double? PaletteCheck(BrandRules rules, float[] lab, byte[] rgba, byte[] visible, int visibleCount, List<CheckLine> lines, out IReadOnlyList<ColourMatch>? colours)
    {
        colours = null;
        if (rules.Palette.Count == 0)
        {
            return null;
        }
        if (visibleCount == 0)
        {
            lines.Add(new CheckLine("Palette", BrandVerdict.Fail, "The image has no visible pixels."));
            return 0;
        }
        var clusters = Lab.Clusters(lab, rgba, visible, Clusters);
        var palette = Lab.Of(rules.Palette);
        // Every cluster against every palette colour in one libvips call.
        var left = clusters.SelectMany(c => palette.Select(_ => c.Centre)).ToList();
        var right = clusters.SelectMany(_ => palette).ToList();
        var distances = Lab.DeltaE00(left, right);
        var matches = new List<ColourMatch>();
        double score = 0;
        for (var i = 0; i < clusters.Count; i++)
        {
            var best = Enumerable.Range(0, palette.Count).MinBy(j => distances[(i * palette.Count) + j]);
            var deltaE = distances[(i * palette.Count) + best];
            score += clusters[i].Share * Closeness(deltaE);
            matches.Add(new ColourMatch(clusters[i].Colour.ToString(), Math.Round(clusters[i].Share, 4), rules.Palette[best].ToString(), Math.Round(deltaE, 1)));
        }
        score = Math.Round(score * 100, 1);
        colours = matches;
        var shown = matches.Where(m => m.Share >= NamedColourShare).ToList();
        var closest = shown.MinBy(m => m.DeltaE)!;
        var farthest = shown.MaxBy(m => m.DeltaE)!;
        var verdict = score >= PassScore ? BrandVerdict.Pass : score >= WarnScore ? BrandVerdict.Warn : BrandVerdict.Fail;
        var summary = Invariant($"{score.ToString("0", CultureInfo.InvariantCulture)}/100. Closest: {closest.Colour} ({Percent(closest.Share)}) is ΔE {closest.DeltaE:0.0} from {closest.Nearest}");
        if (farthest != closest)
        {
            summary += Invariant($"; farthest: {farthest.Colour} ({Percent(farthest.Share)}) is ΔE {farthest.DeltaE:0.0} from {farthest.Nearest}");
        }
        lines.Add(new CheckLine("Palette", verdict, summary + "."));
        return score;
    }

    /// <summary>1 at or under <see cref="OnPaletteDeltaE"/>, 0 at or over <see cref="OffPaletteDeltaE"/>, linear between.</summary>
    public static double Closeness(double deltaE) =>
        Math.Clamp((OffPaletteDeltaE - deltaE) / (OffPaletteDeltaE - OnPaletteDeltaE), 0, 1);

    private static BrandCheckResult AvoidCheck(BrandRules rules, float[] lab, byte[] visible, int visibleCount, int w, int h, List<CheckLine> lines, BrandCheckResult result)
    {
        if (rules.Avoid.Count == 0 || visibleCount == 0)
        {
            return result;
        }
        var found = new List<AvoidedColour>();
        var columns = HeatColumns;
        var rows = Math.Max(1, (int)Math.Round(HeatColumns * (double)h / w));
        var hits = new int[columns * rows];
        var totals = new int[columns * rows];
        for (var i = 0; i < visible.Length; i++)
        {
            totals[Cell(i)]++;
        }
        var anyHit = new bool[visible.Length];
        foreach (var (colour, target) in rules.Avoid.Zip(Lab.Of(rules.Avoid)))
        {
            var distances = Lab.DeltaE00(lab, w, h, target);
            var count = 0;
            for (var i = 0; i < distances.Length; i++)
            {
                if (visible[i] != 0 && distances[i] <= AvoidDeltaE)
                {
                    count++;
                    anyHit[i] = true;
                }
            }
            found.Add(new AvoidedColour(colour.ToString(), Math.Round((double)count / visibleCount, 4)));
        }
        for (var i = 0; i < anyHit.Length; i++)
        {
            if (anyHit[i])
            {
                hits[Cell(i)]++;
            }
        }
        var worst = found.MaxBy(f => f.Share)!;
        var verdict = worst.Share >= AvoidFailShare ? BrandVerdict.Fail : worst.Share >= AvoidWarnShare ? BrandVerdict.Warn : BrandVerdict.Pass;
        var present = found.Where(f => f.Share >= AvoidWarnShare).ToList();
        lines.Add(new CheckLine("Avoided colours", verdict, present.Count == 0
            ? $"None of {string.Join(", ", rules.Avoid)} covers {Percent(AvoidWarnShare)} of the image."
            : string.Join("; ", present.Select(f => $"{f.Colour} covers {Percent(f.Share)}")) + "."));
        var map = present.Count == 0 ? null : new HeatMap(columns, rows, hits.Select((n, c) => totals[c] == 0 ? 0 : (int)Math.Round(100.0 * n / totals[c])).ToList());
        return result with { Avoided = found, AvoidMap = map };

        int Cell(int i) => (Math.Min(rows - 1, i / w * rows / h) * columns) + Math.Min(columns - 1, i % w * columns / w);
    }

    private static void SizeCheck(TypeRules type, int width, int height, string workItemType, List<CheckLine> lines)
    {
        if (type.MinWidth is { } minWidth && type.MinHeight is { } minHeight)
        {
            var big = width >= minWidth && height >= minHeight;
            lines.Add(new CheckLine("Size", big ? BrandVerdict.Pass : BrandVerdict.Fail,
                $"{width}x{height}; the brand asks at least {minWidth}x{minHeight}{For(workItemType)}."));
        }
        if (type.Aspects.Count > 0)
        {
            var ratio = (double)width / height;
            var match = type.Aspects.FirstOrDefault(a => Math.Abs(ratio - a.Value) / a.Value <= AspectTolerance);
            var allowed = string.Join(", ", type.Aspects);
            var source = type.AspectFromType ? $"{Plural(workItemType)} are square" : $"the brand allows {allowed}{For(workItemType)}";
            lines.Add(match != default
                ? new CheckLine("Aspect ratio", BrandVerdict.Pass, $"{width}x{height} is {match}; {source}.")
                : new CheckLine("Aspect ratio", BrandVerdict.Fail, $"{width}x{height} is {ratio.ToString("0.###", CultureInfo.InvariantCulture)}:1; {source}."));
        }
    }

    private static string For(string workItemType) => workItemType is "" or "other" ? "" : $" for {Plural(workItemType)}";

    /// <summary>The work item types' plurals, for the reasons' sentences.</summary>
    private static string Plural(string workItemType) => workItemType == "hero" ? "heroes" : workItemType + "s";

    private static void BackgroundCheck(TypeRules type, byte[] rgba, float[] lab, int w, int h, List<CheckLine> lines)
    {
        if (type.Background == BackgroundRule.Any)
        {
            return;
        }
        // The border: the outer BorderShare on every side (at least one pixel).
        var band = Math.Max(1, (int)Math.Round(Math.Min(w, h) * BorderShare));
        var border = new List<int>();
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                if (x < band || y < band || x >= w - band || y >= h - band)
                {
                    border.Add((y * w) + x);
                }
            }
        }
        var clear = border.Count(i => rgba[(i * 4) + 3] < ClearAlpha);
        var clearShare = (double)clear / border.Count;
        if (type.Background == BackgroundRule.Transparent)
        {
            var anyClear = Enumerable.Range(0, w * h).Any(i => rgba[(i * 4) + 3] < ClearAlpha);
            var verdict = clearShare >= ClearBorderShare ? BrandVerdict.Pass : anyClear ? BrandVerdict.Warn : BrandVerdict.Fail;
            lines.Add(new CheckLine("Background", verdict, verdict == BrandVerdict.Fail
                ? "Opaque: the brand asks for a transparent background."
                : $"{Percent(clearShare)} of the border is transparent; the brand asks for a transparent background."));
            return;
        }
        // Solid: the border opaque and within SolidDeltaE of its own median colour.
        var opaque = border.Where(i => rgba[(i * 4) + 3] >= OpaqueAlpha).ToList();
        if (opaque.Count < border.Count * SolidOpaqueShare)
        {
            lines.Add(new CheckLine("Background", BrandVerdict.Fail, $"{Percent(1 - ((double)opaque.Count / border.Count))} of the border is transparent; the brand asks for a solid background."));
            return;
        }
        LabColour At(int i) => new(lab[i * 3], lab[(i * 3) + 1], lab[(i * 3) + 2]);
        // The border's typical colour: its pixel of median lightness.
        var medianPixel = opaque.OrderBy(i => lab[i * 3]).ElementAt(opaque.Count / 2);
        var median = At(medianPixel);
        var medianRgb = new Rgb(rgba[medianPixel * 4], rgba[(medianPixel * 4) + 1], rgba[(medianPixel * 4) + 2]);
        var distances = Lab.DeltaE00(opaque.Select(At).ToList(), opaque.Select(_ => median).ToList());
        var even = distances.Count(d => d <= SolidDeltaE) / (double)opaque.Count;
        var solid = even >= SolidPassShare ? BrandVerdict.Pass : even >= SolidWarnShare ? BrandVerdict.Warn : BrandVerdict.Fail;
        lines.Add(new CheckLine("Background", solid, $"{Percent(even)} of the border is one colour ({medianRgb}); the brand asks for a solid background."));
    }

    private static double? LogoCheck(TypeRules type, Image image, BrandCheckContext context, List<CheckLine> lines)
    {
        if (context.Logos.Count == 0)
        {
            if (type.LogoRequired)
            {
                lines.Add(new CheckLine("Logo", BrandVerdict.Unchecked, context.LogoProblems.Count > 0
                    ? $"Not checked: {string.Join("; ", context.LogoProblems)}"
                    : "Not checked: the brand requires a logo but has no logo asset to look for."));
            }
            return null;
        }
        var (confidence, logo) = LogoMatcher.Find(image, context.Logos);
        confidence = Math.Round(confidence, 2);
        var what = confidence >= LogoFound ? "likely present" : confidence >= LogoUncertain ? "uncertain" : "not found";
        var summary = $"{what} (confidence {confidence.ToString("0.00", CultureInfo.InvariantCulture)}{(logo is null || confidence < LogoUncertain ? "" : $", {logo}")})";
        lines.Add(type.LogoRequired
            ? new CheckLine("Logo", confidence >= LogoFound ? BrandVerdict.Pass : confidence >= LogoUncertain ? BrandVerdict.Warn : BrandVerdict.Fail,
                char.ToUpperInvariant(summary[0]) + summary[1..] + "; the brand requires its logo.")
            : new CheckLine("Logo", BrandVerdict.Info, char.ToUpperInvariant(summary[0]) + summary[1..] + "; not required."));
        return confidence;
    }

    private static string Percent(double share) => share switch
    {
        >= 0.1 => Invariant($"{share * 100:0}%"),
        _ => Invariant($"{share * 100:0.#}%"),
    };
}
