using System.Text.Json.Serialization;

namespace ImageGen.Core.BrandCheck;

/// <summary>
/// A check's outcome, and a candidate's overall one (the worst of its checks). The judged verdicts are declared from best
/// to worst (<see cref="Pass"/> &lt; <see cref="Warn"/> &lt; <see cref="Fail"/>), so the worst of several is their maximum.
/// Stored and serialized as the text <see cref="BrandVerdicts.ToText"/> gives (<c>run_images.brand_verdict</c>, whose CHECK
/// constraint allows the same words, and <c>brand_json</c>); what a page calls each is the web app's business.
/// </summary>
[JsonConverter(typeof(BrandVerdictJsonConverter))]
public enum BrandVerdict
{
    /// <summary>The check could not run (the image or a logo could not be read, or nothing to check against); the reason says which.</summary>
    Unchecked,

    /// <summary>A fact shown beside the checks that decides nothing (a logo looked for but not required).</summary>
    Info,

    Pass,
    Warn,
    Fail,
}
