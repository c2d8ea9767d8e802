using System.Text.Json;
using ImageGen.Core.Generation;

namespace ImageGen.Core.BrandCheck;

/// <summary>What the brand check found for one candidate; stored as JSON with the image (<c>run_images.brand_json</c>).</summary>
public sealed record BrandCheckResult
{
    public BrandVerdict Verdict { get; init; } = BrandVerdict.Unchecked;

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

    public static BrandCheckResult NotChecked(string reason, long? revision = null) => new() { Reason = reason, BrandRevisionId = revision };

    public string ToJson() => JsonSerializer.Serialize(this, BrandCheckJsonContext.Plain.BrandCheckResult);

    public static BrandCheckResult? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(json, BrandCheckJsonContext.Plain.BrandCheckResult);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
