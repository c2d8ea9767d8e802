using ImageGen.Core.Generation;

namespace ImageGen.Core.Providers;

/// <summary>The size or aspect ratio to ask a provider for, nearest to the request; the CLI resizes the rest locally.</summary>
internal static class SizeMapping
{
    /// <summary>The sizes an OpenAI model makes, in words (its capabilities' <c>Sizes</c>).</summary>
    public static string OpenAiSizes(string model) => model.StartsWith("gpt-image-2", StringComparison.Ordinal)
        ? "any W×H with sides in multiples of 16, ratio 1:3–3:1, up to 3840×2160; the output is resized locally to the exact size"
        : "1024x1024, 1536x1024 or 1024x1536; the output is resized locally to the exact size";

    /// <summary>The aspect ratios Gemini draws natively.</summary>
    public static IReadOnlyList<string> GeminiRatioLabels => [.. GeminiRatios.Select(r => r.Label)];

    /// <summary>gpt-image-2 takes any WxH with sides divisible by 16, ratio within 1:3–3:1, at most 3840x2160; older models three sizes.</summary>
    public static string OpenAiSize(string model, ImageSize size)
    {
        if (!model.StartsWith("gpt-image-2", StringComparison.Ordinal))
        {
            var ratio = (double)size.Width / size.Height;
            return ratio > 1.2 ? "1536x1024" : ratio < 1 / 1.2 ? "1024x1536" : "1024x1024";
        }
        double w = size.Width, h = size.Height;
        var clampRatio = Math.Clamp(w / h, 1 / 3.0, 3.0);
        if (clampRatio != w / h)
        {
            (w, h) = w > h ? (h * clampRatio, h) : (w, w / clampRatio);
        }
        var scale = Math.Min(1.0, Math.Min(3840 / Math.Max(w, h), 2160 / Math.Min(w, h)));
        int Round16(double v) => Math.Max(16, (int)Math.Round(v * scale / 16) * 16);
        return $"{Round16(w)}x{Round16(h)}";
    }

    private static readonly (string Label, double Ratio)[] GeminiRatios =
        [("1:1", 1), ("2:3", 2 / 3.0), ("3:2", 1.5), ("3:4", 0.75), ("4:3", 4 / 3.0), ("4:5", 0.8), ("5:4", 1.25), ("9:16", 9 / 16.0), ("16:9", 16 / 9.0), ("21:9", 21 / 9.0)];

    public static string GeminiAspectRatio(ImageSize size)
    {
        var ratio = (double)size.Width / size.Height;
        return GeminiRatios.MinBy(r => Math.Abs(Math.Log(r.Ratio / ratio))).Label;
    }

    public static string GeminiImageSize(ImageSize size) => Math.Max(size.Width, size.Height) switch
    {
        <= 1024 => "1K",
        <= 2048 => "2K",
        _ => "4K",
    };
}
