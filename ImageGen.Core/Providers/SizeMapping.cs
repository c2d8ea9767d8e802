using System.Globalization;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Providers;

/// <summary>What is asked of a provider for a requested size, and the size its image is expected to have.</summary>
/// <param name="Sent">What goes on the wire, in the provider's terms: <c>1280x720</c>, or <c>16:9 at 2K</c>.</param>
public sealed record SizePlan(string Sent, int Width, int Height)
{
    public ImageSize Pixels => new(Width, Height);
}

/// <summary>
/// Each provider's documented size rules (docs/PROVIDERS.md), and the nearest size a model can make for any size the
/// form offers (each side 16–4096 px): downscaled to meet a maximum, upscaled to meet a minimum. The CLI then resizes
/// the model's image to the exact size asked, and the run records what was asked and what was sent.
/// </summary>
public static class SizeMapping
{
    /// <summary>The fixed sizes of the GPT image models before gpt-image-2.</summary>
    public static IReadOnlyList<(int Width, int Height)> OpenAiFixedSizes { get; } = [(1024, 1024), (1536, 1024), (1024, 1536)];

    /// <summary>gpt-image-2's pixel budget as clients and gateways quote it: at least this many pixels…</summary>
    public const int OpenAiMinPixels = 655_360;

    /// <summary>…at most this many (3840×2160)…</summary>
    public const int OpenAiMaxPixels = 8_294_400;

    /// <summary>…the longest edge at most this…</summary>
    public const int OpenAiMaxEdge = 3840;

    /// <summary>…the ratio within 1:3 to 3:1, each side a multiple of 16.</summary>
    public const double OpenAiMaxRatio = 3.0;

    /// <summary>Models that take any size within the budget (gpt-image-2 and later); the rest take the fixed list.</summary>
    public static bool OpenAiTakesAnySize(string model) =>
        !model.StartsWith("gpt-image-1", StringComparison.Ordinal) && !model.StartsWith("chatgpt-image", StringComparison.Ordinal) && !model.StartsWith("dall-e", StringComparison.Ordinal);

    public static string OpenAiSizes(string model) => OpenAiTakesAnySize(model)
        ? $"any W×H with sides in multiples of 16, {OpenAiMinPixels:N0}–{OpenAiMaxPixels:N0} pixels, longest edge ≤ {OpenAiMaxEdge}, ratio 1:3–3:1; other sizes are made at the nearest such size and resized locally"
        : "1024x1024, 1536x1024 or 1024x1536; other sizes are made at the nearest of these and resized locally";

    public static SizePlan OpenAi(string model, ImageSize size)
    {
        if (!OpenAiTakesAnySize(model))
        {
            var ratio = (double)size.Width / size.Height;
            var (w, h) = OpenAiFixedSizes.MinBy(s => Math.Abs(Math.Log((double)s.Width / s.Height / ratio)));
            return Plan(w, h);
        }
        // Keep the shape within 1:3–3:1, then scale into the pixel budget and under the longest edge, then round each side
        // to a multiple of 16 in the direction that stays inside the budget.
        var r = Math.Clamp((double)size.Width / size.Height, 1 / OpenAiMaxRatio, OpenAiMaxRatio);
        var pixels = Math.Clamp((double)size.Width * size.Height, OpenAiMinPixels, OpenAiMaxPixels);
        var height = Math.Sqrt(pixels / r);
        var width = height * r;
        var edgeScale = Math.Min(1, OpenAiMaxEdge / Math.Max(width, height));
        (width, height) = (width * edgeScale, height * edgeScale);
        var (w16, h16) = (Round16(width), Round16(height));
        // Rounding may cross a limit: step one side by 16 back inside, whichever keeps the shape closer to the one asked.
        for (var guard = 0; guard < 64 && !OpenAiAccepts(w16, h16); guard++)
        {
            var area = (long)w16 * h16;
            var step = area > OpenAiMaxPixels ? -16 : area < OpenAiMinPixels ? 16 : 0;
            if (step == 0 || Math.Max(w16, h16) > OpenAiMaxEdge)
            {
                // The longest edge or the ratio is out (after rounding): bring the long side in.
                if (w16 > h16) { w16 -= 16; } else { h16 -= 16; }
                continue;
            }
            var widen = Math.Abs(Math.Log((double)(w16 + step) / h16 / r));
            var heighten = Math.Abs(Math.Log((double)w16 / (h16 + step) / r));
            if (widen <= heighten) { w16 += step; } else { h16 += step; }
        }
        return Plan(w16, h16);

        static int Round16(double v) => Math.Max(16, (int)Math.Round(v / 16) * 16);
    }

    /// <summary>gpt-image-2's documented limits, as a check (the tests hold every plan to it).</summary>
    public static bool OpenAiAccepts(int width, int height) =>
        width % 16 == 0 && height % 16 == 0
        && (long)width * height is >= OpenAiMinPixels and <= OpenAiMaxPixels
        && Math.Max(width, height) <= OpenAiMaxEdge
        && Math.Max(width, height) <= Math.Min(width, height) * OpenAiMaxRatio;

    private static SizePlan Plan(int width, int height) => new(string.Create(CultureInfo.InvariantCulture, $"{width}x{height}"), width, height);

    private static readonly (string Label, double Ratio)[] GeminiBaseRatios =
        [("1:1", 1), ("2:3", 2 / 3.0), ("3:2", 1.5), ("3:4", 0.75), ("4:3", 4 / 3.0), ("4:5", 0.8), ("5:4", 1.25), ("9:16", 9 / 16.0), ("16:9", 16 / 9.0), ("21:9", 21 / 9.0)];

    private static readonly (string Label, double Ratio)[] GeminiFlashExtraRatios = [("1:4", 0.25), ("4:1", 4), ("1:8", 0.125), ("8:1", 8)];

    /// <summary>One Gemini image model's options: its aspect ratios and its <c>imageSize</c> tiers (none: the field is not sent).</summary>
    public sealed record GeminiRules(IReadOnlyList<(string Label, double Ratio)> Ratios, IReadOnlyList<string> ImageSizes)
    {
        public IReadOnlyList<string> RatioLabels => [.. Ratios.Select(r => r.Label)];
    }

    /// <summary>
    /// Per model, from docs/PROVIDERS.md: 2.5 Flash Image has no <c>imageSize</c> (1K); 3.1 Flash Lite is 1K only and lacks
    /// 4:5 and 5:4; 3.1 Flash adds 512 and 1:4, 4:1, 1:8, 8:1. 3.1 Flash and 3 Pro take 4K on every id, the GA ones
    /// included: Google's model pages list "1K, 2K, 4K (Preview)" for <c>gemini-3-pro-image</c> and
    /// <c>gemini-3.1-flash-image</c> (4K is a preview feature of the GA endpoint, not of the <c>-preview</c> ids only),
    /// and Google's cookbook sends <c>imageSize: "4K"</c> to <c>gemini-3-pro-image</c>.
    /// </summary>
    public static GeminiRules Gemini(string model)
    {
        if (model.StartsWith("gemini-2.", StringComparison.Ordinal))
        {
            return new GeminiRules(GeminiBaseRatios, []);
        }
        if (model.StartsWith("gemini-3.1-flash-lite", StringComparison.Ordinal))
        {
            return new GeminiRules([.. GeminiBaseRatios.Where(r => r.Label is not ("4:5" or "5:4"))], ["1K"]);
        }
        if (model.StartsWith("gemini-3.1-flash", StringComparison.Ordinal))
        {
            return new GeminiRules([.. GeminiBaseRatios, .. GeminiFlashExtraRatios], ["512", "1K", "2K", "4K"]);
        }
        return new GeminiRules(GeminiBaseRatios, ["1K", "2K", "4K"]);
    }

    /// <summary>The long side of each <c>imageSize</c> tier.</summary>
    private static int TierLongSide(string tier) => tier switch { "512" => 512, "1K" => 1024, "2K" => 2048, _ => 4096 };

    public static string GeminiSizes(string model)
    {
        var rules = Gemini(model);
        var tiers = rules.ImageSizes.Count == 0 ? "1K (no imageSize)" : string.Join(", ", rules.ImageSizes);
        return $"aspect ratios {string.Join(" ", rules.RatioLabels)} at {tiers}; the nearest is made and resized locally to the exact size";
    }

    /// <summary>The nearest aspect ratio, and the smallest <c>imageSize</c> whose long side reaches the request (else the largest).</summary>
    public static (string AspectRatio, string? ImageSize, SizePlan Plan) GeminiPlan(string model, ImageSize size)
    {
        var rules = Gemini(model);
        var ratio = (double)size.Width / size.Height;
        var (label, value) = rules.Ratios.MinBy(r => Math.Abs(Math.Log(r.Ratio / ratio)));
        var longSide = Math.Max(size.Width, size.Height);
        string? tier = rules.ImageSizes.Count == 0 ? null : rules.ImageSizes.FirstOrDefault(t => TierLongSide(t) >= longSide) ?? rules.ImageSizes[^1];
        var tierLong = tier is null ? 1024 : TierLongSide(tier);
        var (w, h) = value >= 1 ? (tierLong, (int)Math.Round(tierLong / value)) : ((int)Math.Round(tierLong * value), tierLong);
        return (label, tier, new SizePlan(tier is null ? label : $"{label} at {tier}", w, h));
    }

    /// <summary>Stable Diffusion servers work in latent blocks of 8 px: each side to the nearest multiple of 8, 64–2048.</summary>
    public static SizePlan StableDiffusion(ImageSize size)
    {
        var scale = Math.Min(1, 2048.0 / Math.Max(size.Width, size.Height));
        int Side(int v) => Math.Clamp((int)Math.Round(v * scale / 8) * 8, 64, 2048);
        return Plan(Side(size.Width), Side(size.Height));
    }
}
