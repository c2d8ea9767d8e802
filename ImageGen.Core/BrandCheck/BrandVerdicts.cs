namespace ImageGen.Core.BrandCheck;

/// <summary>
/// The one place a <see cref="BrandVerdict"/> becomes text and text becomes one: the words stored in
/// <c>run_images.brand_verdict</c> and <c>brand_json</c>, and taken in a page's <c>brand=</c> filter. They are the words the
/// column held before the type existed, so no stored row changes.
/// </summary>
public static class BrandVerdicts
{
    /// <summary>The verdicts a candidate can be filtered by (a candidate's overall verdict is never <see cref="BrandVerdict.Info"/>).</summary>
    public static IReadOnlyList<BrandVerdict> Filterable { get; } = [BrandVerdict.Pass, BrandVerdict.Warn, BrandVerdict.Fail, BrandVerdict.Unchecked];

    /// <summary>The stored word: pass, warn, fail, unchecked or info.</summary>
    public static string ToText(this BrandVerdict verdict) => verdict switch
    {
        BrandVerdict.Pass => "pass",
        BrandVerdict.Warn => "warn",
        BrandVerdict.Fail => "fail",
        BrandVerdict.Unchecked => "unchecked",
        BrandVerdict.Info => "info",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "not a brand verdict"),
    };

    /// <summary>Reads a stored word exactly as <see cref="ToText"/> writes it; anything else (other case, a number) is not one.</summary>
    public static bool TryParse(string? text, out BrandVerdict verdict)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(text, candidate.ToText(), StringComparison.Ordinal))
            {
                verdict = candidate;
                return true;
            }
        }
        verdict = default;
        return false;
    }

    /// <summary>A verdict read from the database: null stays null (a run without a brand).</summary>
    /// <exception cref="InvalidDataException">The column holds a word that is not a verdict (its CHECK constraint forbids that).</exception>
    public static BrandVerdict? FromStored(string? text) =>
        text is null ? null
            : TryParse(text, out var verdict) ? verdict
            : throw new InvalidDataException($"'{text}' is not a stored brand verdict.");

    /// <summary>Whether the verdict judges the image (pass, warn or fail), rather than saying it could not or need not.</summary>
    public static bool IsJudged(this BrandVerdict verdict) => verdict is BrandVerdict.Pass or BrandVerdict.Warn or BrandVerdict.Fail;

    private static readonly BrandVerdict[] All = Enum.GetValues<BrandVerdict>();
}
