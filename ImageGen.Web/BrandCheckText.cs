using System.Globalization;
using ImageGen.Core.BrandCheck;
using ImageGen.Core.Storage;
using static System.FormattableString;

namespace ImageGen.Web;

/// <summary>
/// The words the pages use for the brand check, in one place: what each verdict is called (the badge, the filters, ranking,
/// search, insights), a badge's hover text, a check line's mark, and what the insights page says of two revisions. Core
/// hands over verdicts and numbers; this says them.
/// </summary>
public static class BrandCheckText
{
    /// <summary>What a badge and a filter call a verdict; "No brand" for a candidate whose run had none.</summary>
    public static string Label(BrandVerdict? verdict) => verdict switch
    {
        BrandVerdict.Pass => "On brand",
        BrandVerdict.Warn => "Check",
        BrandVerdict.Fail => "Off brand",
        BrandVerdict.Unchecked => "Not checked",
        BrandVerdict.Info => "Info",
        null => "No brand",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "not a brand verdict"),
    };

    /// <summary>What a badge says: the verdict's label and the brand score, e.g. "On brand 92".</summary>
    public static string BadgeText(BrandVerdict verdict, double? brandScore) =>
        brandScore is { } score ? $"{Label(verdict)} {score.ToString("0", CultureInfo.InvariantCulture)}" : Label(verdict);

    /// <summary>The class a badge or check line is styled by (brand-pass, check-fail …): the stored word.</summary>
    public static string Css(BrandVerdict verdict) => verdict.ToText();

    /// <summary>The mark before a check line.</summary>
    public static string Mark(BrandVerdict verdict) => verdict switch
    {
        BrandVerdict.Pass => "✓",
        BrandVerdict.Warn => "!",
        BrandVerdict.Fail => "✗",
        _ => "·",
    };

    /// <summary>A badge's hover text: the lines behind a warn or fail, else the passing lines; why, when nothing was checked.</summary>
    public static string Reasons(BrandCheckResult? check)
    {
        if (check is null)
        {
            return "";
        }
        if (check.Verdict == BrandVerdict.Unchecked)
        {
            return check.Reason ?? "Not checked.";
        }
        var why = string.Join(" ", check.Checks.Where(c => c.Verdict is BrandVerdict.Fail or BrandVerdict.Warn).Select(c => $"{c.Name}: {c.Summary}"));
        return why.Length > 0 ? why : string.Join(" ", check.Checks.Where(c => c.Verdict == BrandVerdict.Pass).Select(c => $"{c.Name}: {c.Summary}"));
    }

    /// <summary>The brand filter's choices: any, then each filterable verdict by its badge's label; the value is the stored word.</summary>
    public static IReadOnlyList<(string Value, string Label)> FilterChoices { get; } =
        [("", "Any"), .. BrandVerdicts.Filterable.Select(v => (v.ToText(), Label(v)))];

    /// <summary>The filterable verdicts' words, for a message about a value that is none of them ("pass, warn, fail or unchecked").</summary>
    public static string FilterWords { get; } =
        string.Join(", ", BrandVerdicts.Filterable.SkipLast(1).Select(v => v.ToText())) + " or " + BrandVerdicts.Filterable[^1].ToText();

    /// <summary>A <c>brand=</c> filter value: null when empty, false when it names no filterable verdict.</summary>
    public static bool TryParseFilter(string? value, out BrandVerdict? verdict)
    {
        verdict = null;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }
        if (BrandVerdicts.TryParse(value, out var parsed) && BrandVerdicts.Filterable.Contains(parsed))
        {
            verdict = parsed;
            return true;
        }
        return false;
    }

    /// <summary>What the insights page says of two revisions: a claim only with enough picks and a split luck does not explain.</summary>
    public static string Finding(RevisionDuel duel) =>
        !duel.Enough
            ? $"Not enough picks to say: {duel.Picks} head-to-head pick(s) between the two revisions; {BrandInsights.MinPicks} are needed."
            : !duel.Significant
                ? Invariant($"No clear difference: revision {duel.Newer.Revision} won {duel.NewerWins} of {duel.Picks} ({duel.Share:0%}); a difference this size happens by chance (p = {duel.PValue:0.00}).")
                : duel.NewerWon
                    ? Invariant($"Candidates made under revision {duel.Newer.Revision} won more: {duel.NewerWins} of {duel.Picks} head-to-head picks ({duel.Share:0%}; p = {duel.PValue:0.000}).")
                    : Invariant($"Candidates made under revision {duel.Older.Revision} won more: {duel.Picks - duel.NewerWins} of {duel.Picks} head-to-head picks ({1 - duel.Share:0%}; p = {duel.PValue:0.000}).");
}
