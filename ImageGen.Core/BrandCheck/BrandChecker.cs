using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using NetVips;
using static System.FormattableString;

namespace ImageGen.Core.BrandCheck;

/// <summary>A check's outcome, and a candidate's overall one (the worst of its checks).</summary>
public static class BrandVerdicts
{
    public const string Pass = "pass";
    public const string Warn = "warn";
    public const string Fail = "fail";

    /// <summary>The check could not run (an error, or nothing to check against); the reason says which.</summary>
    public const string Unchecked = "unchecked";

    /// <summary>A fact shown beside the checks that decides nothing (a logo looked for but not required).</summary>
    public const string Info = "info";

    public static IReadOnlyList<string> Filterable { get; } = [Pass, Warn, Fail, Unchecked];

    public static int Severity(string verdict) => verdict switch
    {
        Fail => 3,
        Warn => 2,
        Pass => 1,
        _ => 0,
    };

    /// <summary>What a badge says: the verdict's label and the brand score, e.g. "On brand 92".</summary>
    public static string BadgeText(string verdict, double? brandScore) =>
        brandScore is { } score ? $"{Label(verdict)} {score.ToString("0", CultureInfo.InvariantCulture)}" : Label(verdict);

    public static string Label(string? verdict) => verdict switch
    {
        Pass => "On brand",
        Warn => "Check",
        Fail => "Off brand",
        Unchecked => "Not checked",
        _ => "No brand",
    };
}

/// <summary>One line of a brand check: its name, outcome, and what a person can verify by eye.</summary>
public sealed record CheckLine(string Name, string Verdict, string Summary);

/// <summary>A dominant colour of the image, its share of the visible pixels, and the nearest palette colour (CIEDE2000).</summary>
public sealed record ColourMatch(string Colour, double Share, string? Nearest, double? DeltaE);

/// <summary>An avoided colour and the share of visible pixels within <see cref="BrandChecker.AvoidDeltaE"/> of it.</summary>
public sealed record AvoidedColour(string Colour, double Share);

/// <summary>Where avoided colours are: per cell of a grid over the image, the share of its pixels (0–100), row-major.</summary>
public sealed record HeatMap(int Columns, int Rows, IReadOnlyList<int> Cells);

/// <summary>What the brand check found for one candidate; stored as JSON with the image (<c>run_images.brand_json</c>).</summary>
public sealed record BrandCheckResult
{
    public string Verdict { get; init; } = BrandVerdicts.Unchecked;

    /// <summary>Palette adherence 0–100, when the brand has a palette and the image visible pixels.</summary>
    public double? Score { get; init; }

    /// <summary>
    /// The one number candidates sort by (<c>run_images.brand_score</c>): the palette score (100 without a palette), capped at
    /// <see cref="BrandChecker.WarnCap"/> by a warning and <see cref="BrandChecker.FailCap"/> by a failure, so a candidate that
    /// fails a check never sorts above one that passes. Null when not checked.
    /// </summary>
    public double? BrandScore { get; init; }

    public IReadOnlyList<CheckLine> Checks { get; init; } = [];
    public IReadOnlyList<ColourMatch>? Colours { get; init; }
    public IReadOnlyList<AvoidedColour>? Avoided { get; init; }
    public HeatMap? AvoidMap { get; init; }
    public double? LogoConfidence { get; init; }

    /// <summary>The brand text revision the rules came from.</summary>
    public long? BrandRevisionId { get; init; }

    /// <summary>Why nothing was checked, when <see cref="Verdict"/> is unchecked.</summary>
    public string? Reason { get; init; }

    /// <summary>How long the checks took on this image (milliseconds).</summary>
    public double? Milliseconds { get; init; }

    /// <summary>The lines behind a warn or fail, for a badge's hover text (derived from the checks, not stored).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Reasons => Verdict == BrandVerdicts.Unchecked
        ? Reason ?? "Not checked."
        : string.Join(" ", Checks.Where(c => c.Verdict is BrandVerdicts.Fail or BrandVerdicts.Warn).Select(c => $"{c.Name}: {c.Summary}")) is { Length: > 0 } why
            ? why
            : string.Join(" ", Checks.Where(c => c.Verdict == BrandVerdicts.Pass).Select(c => $"{c.Name}: {c.Summary}"));

    public static BrandCheckResult NotChecked(string reason, long? revision = null) => new() { Reason = reason, BrandRevisionId = revision };

    public string ToJson() => JsonSerializer.Serialize(this, Json.Context.BrandCheckResult);

    public static BrandCheckResult? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(json, Json.Context.BrandCheckResult);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>What a job's candidates are checked against: the brand's rules at the revision the job used, the work item's type, the brand's logos.</summary>
public sealed record BrandCheckContext(BrandRules Rules, string WorkItemType, IReadOnlyList<LogoTemplate> Logos, long? BrandRevisionId) : IDisposable
{
    /// <summary>Logos that could not be read, and why: the logo check says so rather than reporting "not found".</summary>
    public IReadOnlyList<string> LogoProblems { get; init; } = [];

    /// <summary>Why nothing can be checked for this job (the rules could not be read); every candidate is recorded as not checked.</summary>
    public string? Problem { get; init; }

    /// <summary>A context that checks nothing: every candidate of the job is recorded as not checked, with <paramref name="problem"/>.</summary>
    public static BrandCheckContext Unreadable(string problem, long? revisionId) => new(new BrandRules(), "other", [], revisionId) { Problem = problem };

    public void Dispose()
    {
        foreach (var logo in Logos)
        {
            logo.Dispose();
        }
    }
}

/// <summary>
/// Checks one candidate against its brand (docs/BRAND-CHECK.md): palette adherence, avoided colours, size and aspect ratio,
/// background, logo. Works on a small copy of the image already decoded for its thumbnail, so it decodes nothing; never
/// throws: a check that fails to run is recorded as not checked, with the reason.
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

    public const int HeatColumns = 12;

    /// <summary>Highest brand score a candidate with a warning, and with a failure, can have.</summary>
    public const double WarnCap = 69, FailCap = 39;

    /// <param name="image">The decoded image at any size (the 768 px thumbnail), sRGB with or without alpha.</param>
    /// <param name="width">The stored file's width.</param>
    /// <param name="height">The stored file's height.</param>
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
        try
        {
            // Colours from a nearest-neighbour sample: real pixel colours, none made up by a resampling filter's blending
            // and ringing at hard edges. The logo search gets a smoothly shrunk copy instead.
            var scale = Math.Min(1.0, (double)WorkSide / Math.Max(image.Width, image.Height));
            using var sample = image.Resize(scale, kernel: Enums.Kernel.Nearest);
            using var work = sample.CopyMemory();
            var rgba = Pixels.Rgba(work);
            int w = work.Width, h = work.Height;
            var visible = new byte[w * h];
            for (var i = 0; i < visible.Length; i++)
            {
                visible[i] = rgba[(i * 4) + 3] >= 128 ? (byte)1 : (byte)0;
            }
            var visibleCount = visible.Count(v => v != 0);
            // Lab only for the checks that compare colours.
            var lab = visibleCount > 0 && (rules.Palette.Count > 0 || rules.Avoid.Count > 0 || type.Background == BackgroundRule.Solid) ? Lab.Of(work) : [];

            Guard(lines, "Palette", () => result = result with { Score = PaletteCheck(rules, lab, rgba, visible, visibleCount, lines, out var colours), Colours = colours });
            Guard(lines, "Avoided colours", () => result = AvoidCheck(rules, lab, visible, visibleCount, w, h, lines, result));
            SizeCheck(type, width, height, context.WorkItemType, lines);
            Guard(lines, "Background", () => BackgroundCheck(type, rgba, lab, w, h, lines));
            Guard(lines, "Logo", () => result = result with { LogoConfidence = LogoCheck(type, image, context, lines) });
        }
        catch (Exception e) when (e is VipsException or InvalidDataException or ArgumentException or IOException)
        {
            return BrandCheckResult.NotChecked($"The image could not be read for the brand check: {e.Message}", context.BrandRevisionId);
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            // A fault in the check itself: the candidate is still stored (a check never fails a job), marked with why.
            return BrandCheckResult.NotChecked($"The brand check failed ({e.GetType().Name}): {e.Message}", context.BrandRevisionId);
        }
        var judged = lines.Where(l => l.Verdict is BrandVerdicts.Pass or BrandVerdicts.Warn or BrandVerdicts.Fail).ToList();
        var verdict = judged.Count == 0
            ? BrandVerdicts.Unchecked
            : judged.MaxBy(l => BrandVerdicts.Severity(l.Verdict))!.Verdict;
        double? brandScore = verdict switch
        {
            BrandVerdicts.Unchecked => null,
            BrandVerdicts.Fail => Math.Min(result.Score ?? 100, FailCap),
            BrandVerdicts.Warn => Math.Min(result.Score ?? 100, WarnCap),
            _ => result.Score ?? 100,
        };
        return result with
        {
            Verdict = verdict,
            BrandScore = brandScore,
            Checks = lines,
            Reason = verdict == BrandVerdicts.Unchecked
                ? lines.FirstOrDefault(l => l.Verdict == BrandVerdicts.Unchecked)?.Summary ?? "The brand names no palette, colours to avoid or rules to check against."
                : null,
            Milliseconds = Math.Round(clock.Elapsed.TotalMilliseconds, 2),
        };
    }

    /// <summary>Runs one check; one that throws is recorded as not checked with the reason, and the others still run.</summary>
    private static void Guard(List<CheckLine> lines, string name, Action check)
    {
        try
        {
            check();
        }
        catch (Exception e) when (e is VipsException or InvalidDataException or ArgumentException or IOException or InvalidOperationException)
        {
            lines.Add(new CheckLine(name, BrandVerdicts.Unchecked, $"Not checked: {e.Message}"));
        }
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
            lines.Add(new CheckLine("Palette", BrandVerdicts.Fail, "The image has no visible pixels."));
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
        var shown = matches.Where(m => m.Share >= 0.02).ToList();
        var closest = shown.MinBy(m => m.DeltaE)!;
        var farthest = shown.MaxBy(m => m.DeltaE)!;
        var verdict = score >= PassScore ? BrandVerdicts.Pass : score >= WarnScore ? BrandVerdicts.Warn : BrandVerdicts.Fail;
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
        var verdict = worst.Share >= AvoidFailShare ? BrandVerdicts.Fail : worst.Share >= AvoidWarnShare ? BrandVerdicts.Warn : BrandVerdicts.Pass;
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
            lines.Add(new CheckLine("Size", big ? BrandVerdicts.Pass : BrandVerdicts.Fail,
                $"{width}x{height}; the brand asks at least {minWidth}x{minHeight}{For(workItemType)}."));
        }
        if (type.Aspects.Count > 0)
        {
            var ratio = (double)width / height;
            var match = type.Aspects.FirstOrDefault(a => Math.Abs(ratio - a.Value) / a.Value <= AspectTolerance);
            var allowed = string.Join(", ", type.Aspects);
            var source = type.AspectFromType ? $"{Plural(workItemType)} are square" : $"the brand allows {allowed}{For(workItemType)}";
            lines.Add(match != default
                ? new CheckLine("Aspect ratio", BrandVerdicts.Pass, $"{width}x{height} is {match}; {source}.")
                : new CheckLine("Aspect ratio", BrandVerdicts.Fail, $"{width}x{height} is {ratio.ToString("0.###", CultureInfo.InvariantCulture)}:1; {source}."));
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
        // The border: the outer 4 % on every side (at least one pixel).
        var band = Math.Max(1, (int)Math.Round(Math.Min(w, h) * 0.04));
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
        var clear = border.Count(i => rgba[(i * 4) + 3] < 32);
        var clearShare = (double)clear / border.Count;
        if (type.Background == BackgroundRule.Transparent)
        {
            var anyClear = Enumerable.Range(0, w * h).Any(i => rgba[(i * 4) + 3] < 32);
            var verdict = clearShare >= 0.8 ? BrandVerdicts.Pass : anyClear ? BrandVerdicts.Warn : BrandVerdicts.Fail;
            lines.Add(new CheckLine("Background", verdict, verdict == BrandVerdicts.Fail
                ? "Opaque: the brand asks for a transparent background."
                : $"{Percent(clearShare)} of the border is transparent; the brand asks for a transparent background."));
            return;
        }
        // Solid: the border opaque and within ΔE 5 of its own median colour.
        var opaque = border.Where(i => rgba[(i * 4) + 3] >= 224).ToList();
        if (opaque.Count < border.Count * 0.9)
        {
            lines.Add(new CheckLine("Background", BrandVerdicts.Fail, $"{Percent(1 - ((double)opaque.Count / border.Count))} of the border is transparent; the brand asks for a solid background."));
            return;
        }
        LabColour At(int i) => new(lab[i * 3], lab[(i * 3) + 1], lab[(i * 3) + 2]);
        // The border's typical colour: its pixel of median lightness.
        var medianPixel = opaque.OrderBy(i => lab[i * 3]).ElementAt(opaque.Count / 2);
        var median = At(medianPixel);
        var medianRgb = new Rgb(rgba[medianPixel * 4], rgba[(medianPixel * 4) + 1], rgba[(medianPixel * 4) + 2]);
        var distances = Lab.DeltaE00(opaque.Select(At).ToList(), opaque.Select(_ => median).ToList());
        var even = distances.Count(d => d <= 5) / (double)opaque.Count;
        var solid = even >= 0.9 ? BrandVerdicts.Pass : even >= 0.7 ? BrandVerdicts.Warn : BrandVerdicts.Fail;
        lines.Add(new CheckLine("Background", solid, $"{Percent(even)} of the border is one colour ({medianRgb}); the brand asks for a solid background."));
    }

    private static double? LogoCheck(TypeRules type, Image image, BrandCheckContext context, List<CheckLine> lines)
    {
        if (context.Logos.Count == 0)
        {
            if (type.LogoRequired)
            {
                lines.Add(new CheckLine("Logo", BrandVerdicts.Unchecked, context.LogoProblems.Count > 0
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
            ? new CheckLine("Logo", confidence >= LogoFound ? BrandVerdicts.Pass : confidence >= LogoUncertain ? BrandVerdicts.Warn : BrandVerdicts.Fail,
                char.ToUpperInvariant(summary[0]) + summary[1..] + "; the brand requires its logo.")
            : new CheckLine("Logo", BrandVerdicts.Info, char.ToUpperInvariant(summary[0]) + summary[1..] + "; not required."));
        return confidence;
    }

    private static string Percent(double share) => share switch
    {
        >= 0.1 => Invariant($"{share * 100:0}%"),
        _ => Invariant($"{share * 100:0.#}%"),
    };
}
