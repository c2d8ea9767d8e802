using System.Globalization;
using System.Text.Json;
using ImageGen.Core.Generation;

namespace ImageGen.Core.Providers;

/// <summary>
/// <c>google/&lt;model&gt;</c>: Gemini <c>generateContent</c> with image output. One image per call, so a count of N
/// is N calls. Refusals arrive as HTTP 200 with a finish or block reason and fail for good with that reason.
/// </summary>
public sealed class GeminiImageModel(string model, ProviderSettings settings, HttpClient http) : IImageModel
{
    public const string Prefix = "google/";
    private const string Provider = "Gemini";

    private static readonly HashSet<string> Refusals =
        ["SAFETY", "PROHIBITED_CONTENT", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION", "RECITATION", "BLOCKLIST", "SPII", "NO_IMAGE", "IMAGE_OTHER", "OTHER"];

    public ModelInfo Info { get; } = new(
        Prefix + model, $"Gemini {model}", "Google Gemini image generation.",
        settings.GeminiApiKey is not null, settings.GeminiApiKey is null ? "GEMINI_API_KEY is not set." : null)
    {
        Capabilities = new ModelCapabilities
        {
            Sizes = "the nearest of its aspect ratios at 1K, 2K or 4K; the output is resized locally to the exact size",
            AspectRatios = SizeMapping.GeminiRatioLabels,
            MaxInputImages = settings.GeminiMaxInputImages ?? DefaultMaxInputImages(model),
            SourceImage = true,
        },
    };

    /// <summary>
    /// Gemini 3 image models take up to 14 reference images; 2.5 Flash Image works best with at most 3 (PROVIDERS.md).
    /// <c>IMAGEGEN_GEMINI_MAX_IMAGES</c> overrides it for a model this table does not know.
    /// </summary>
    public static int DefaultMaxInputImages(string model) => model.StartsWith("gemini-2.", StringComparison.Ordinal) ? 3 : 14;

    public async Task<IReadOnlyList<ModelImage>> GenerateAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        // Images first, then the instruction: the source (the image to change) leads, the references follow.
        var parts = request.InputImages
            .Select(image => (object)new { inlineData = new { mimeType = image.ContentType, data = Convert.ToBase64String(image.Bytes) } })
            .Append(new { text = request.Source is null ? request.Prompt : $"Make a new version of the first image. {request.Prompt}" })
            .ToArray();
        var body = new
        {
            contents = new[] { new { role = "user", parts } },
            generationConfig = new
            {
                responseModalities = new[] { "TEXT", "IMAGE" },
                imageConfig = new { aspectRatio = SizeMapping.GeminiAspectRatio(request.Size), imageSize = SizeMapping.GeminiImageSize(request.Size) },
            },
        };
        var url = new Uri(new Uri(settings.GeminiBaseUrl), $"/v1beta/models/{Uri.EscapeDataString(model)}:generateContent");
        var images = new List<ModelImage>(request.Count);
        for (var i = 0; i < request.Count; i++)
        {
            using var response = await ProviderHttp.PostJsonAsync(http, Provider, url, body,
                headers => headers.Add("x-goog-api-key", settings.GeminiApiKey), ReadError, null, cancellationToken);
            images.Add(ModelImage.Unfinished(ImageFrom(response.RootElement), request.Seed + i));
        }
        return images;
    }

    private static byte[] ImageFrom(JsonElement root)
    {
        if (root.Property("promptFeedback").String("blockReason") is { } blocked)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"{Provider} refused the prompt: {blocked}.");
        }
        var candidate = root.Property("candidates") is { ValueKind: JsonValueKind.Array } candidates && candidates.GetArrayLength() > 0 ? candidates[0] : default;
        var finish = candidate.String("finishReason");
        var parts = candidate.Property("content").Property("parts");
        if (parts.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in parts.EnumerateArray())
            {
                var isThought = part.Property("thought") is { ValueKind: JsonValueKind.True };
                if (!isThought && part.Property("inlineData").String("data") is { } data)
                {
                    return ProviderHttp.DecodeBase64(Provider, data);
                }
            }
        }
        throw new ImageGenException(ErrorKind.Permanent, finish is not null && Refusals.Contains(finish)
            ? $"{Provider} refused to make the image: {finish}."
            : $"{Provider} answered without an image (finishReason {finish ?? "none"}).");
    }

    internal static ProviderError ReadError(JsonElement root)
    {
        var error = root.Property("error");
        string? reason = null;
        TimeSpan? retry = null;
        if (error.Property("details") is { ValueKind: JsonValueKind.Array } details)
        {
            foreach (var detail in details.EnumerateArray())
            {
                reason ??= detail.String("reason");
                if (detail.String("retryDelay") is { } delay && delay.EndsWith('s')
                    && double.TryParse(delay[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                {
                    retry = TimeSpan.FromSeconds(seconds);
                }
            }
        }
        return new ProviderError(reason ?? error.String("status"), error.String("message"), retry);
    }
}
