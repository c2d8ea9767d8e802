using ImageGen.Core.Imaging;

namespace ImageGen.Core.Spec;

/// <summary>Background choices: a model's default, an alpha channel (PNG or WebP only), or a filled ground.</summary>
public static class Backgrounds
{
    public const string Auto = "auto";
    public const string Transparent = "transparent";
    public const string Opaque = "opaque";

    public static IReadOnlyList<string> All { get; } = [Auto, Transparent, Opaque];

    public static string? Parse(string? value) => value?.Trim().ToLowerInvariant() is { } v && All.Contains(v) ? v : null;
}

/// <summary>Quality choices of the models that have one (<c>low</c> for cheap drafts).</summary>
public static class Qualities
{
    public const string Auto = "auto";
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";

    public static IReadOnlyList<string> All { get; } = [Auto, Low, Medium, High];

    public static string? Parse(string? value) => value?.Trim().ToLowerInvariant() is { } v && All.Contains(v) ? v : null;
}

/// <summary>What a request asks of a model beyond the prompt, as far as capabilities are concerned.</summary>
public sealed record GenerateOptions(int References = 0, bool Source = false, bool Mask = false, string Background = Backgrounds.Auto, string Quality = Qualities.Auto, string Format = ImageFormats.Png);

/// <summary>A problem with a request for one model: the form field it belongs to and a sentence.</summary>
public sealed record CapabilityProblem(string Field, string Message);

/// <summary>
/// What a model honours. The one table the CLI's validation, the generate form (which shows only what applies) and
/// <c>imagegen models --json</c> all read.
/// </summary>
public sealed record ModelCapabilities
{
    /// <summary>The model takes a seed and the same seed gives the same image.</summary>
    public bool Seed { get; init; }

    /// <summary>The sizes the model makes, in words; any other size is made by resizing its output locally.</summary>
    public string Sizes { get; init; } = "";

    /// <summary>The aspect ratios the model draws natively; null when it takes any.</summary>
    public IReadOnlyList<string>? AspectRatios { get; init; }

    /// <summary>How many images one request may carry: references plus the source image. 0: text only.</summary>
    public int MaxInputImages { get; init; }

    /// <summary>Of <see cref="MaxInputImages"/>, reference images may be sent (false: only a source image, as AUTOMATIC1111's img2img).</summary>
    public bool ReferenceImages { get; init; } = true;

    /// <summary>The model starts from a source image ("more like this" as image-to-image).</summary>
    public bool SourceImage { get; init; }

    /// <summary>
    /// The most pixels of an input image the model reads (Gemini: about 1 MP); larger inputs are sent as a copy of this
    /// size, so a request carries no detail the model throws away. Null: up to <see cref="InputImage.MaxSentSide"/> a side.
    /// </summary>
    public int? MaxInputPixels { get; init; }

    /// <summary>The model takes a mask (PNG with alpha, the source's size) marking what to change.</summary>
    public bool Mask { get; init; }

    /// <summary>The model can make a transparent background.</summary>
    public bool Transparency { get; init; }

    /// <summary>The quality settings the model takes besides <c>auto</c>; empty when it has none.</summary>
    public IReadOnlyList<string> Qualities { get; init; } = [];

    public bool TakesImages => MaxInputImages > 0;

    /// <summary>How many reference images fit, beside a source image or not.</summary>
    public int MaxReferences(bool withSource) => ReferenceImages ? Math.Max(0, MaxInputImages - (withSource ? 1 : 0)) : 0;

    public static ModelCapabilities TextOnly { get; } = new();

    /// <summary>Every way <paramref name="options"/> asks for more than <paramref name="model"/> can do; empty when it fits.</summary>
    public IReadOnlyList<CapabilityProblem> Check(string model, GenerateOptions options)
    {
        var problems = new List<CapabilityProblem>();
        if (options.References > 0 && !TakesImages)
        {
            problems.Add(new("References", $"{model} is text only: it takes no reference images."));
        }
        else if (options.References > 0 && !ReferenceImages)
        {
            problems.Add(new("References", $"{model} takes a source image but no reference images."));
        }
        else if (options.References + (options.Source ? 1 : 0) > MaxInputImages && TakesImages)
        {
            var room = MaxInputImages - (options.Source ? 1 : 0);
            problems.Add(new("References", $"{model} takes at most {room} reference image(s){(options.Source ? " besides the source image" : "")}; {options.References} were chosen."));
        }
        if (options.Source && !SourceImage)
        {
            problems.Add(new("Source", $"{model} does not take a source image."));
        }
        if (options.Mask && !options.Source)
        {
            problems.Add(new("Mask", "A mask needs a source image: it marks which part of the source to change."));
        }
        else if (options.Mask && !Mask)
        {
            problems.Add(new("Mask", $"{model} does not take a mask."));
        }
        if (options.Background == Backgrounds.Transparent)
        {
            if (options.Format == ImageFormats.Jpeg)
            {
                problems.Add(new("Background", "A transparent background needs PNG or WebP: JPEG has no alpha channel."));
            }
            else if (!Transparency)
            {
                problems.Add(new("Background", $"{model} cannot make a transparent background."));
            }
        }
        if (options.Quality != Spec.Qualities.Auto && !Qualities.Contains(options.Quality))
        {
            problems.Add(new("Quality", Qualities.Count == 0
                ? $"{model} has no quality setting."
                : $"{model} takes quality {string.Join(", ", Qualities)} or auto, not '{options.Quality}'."));
        }
        return problems;
    }
}
