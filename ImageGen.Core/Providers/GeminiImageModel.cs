using System.Text.Json.Nodes;
using System.Globalization;
using System.Text.Json;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Providers;

/// <summary>
/// <c>google/&lt;model&gt;</c>: Gemini <c>generateContent</c> with image output, at <c>{base}/models/{model}:generateContent</c>
/// (the base carries the API version, <c>…/v1beta</c>). One image per call, so a count of N is N calls; when a call fails
/// after some images arrived, those are returned with the failure, so what was paid for is kept. Refusals arrive as HTTP
/// 200 with a finish or block reason and fail for good with that reason. The size is the model's nearest aspect ratio
/// and <c>imageSize</c> (<see cref="SizeMapping.GeminiPlan"/>). Gemini image models take no seed.
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
            Sizes = SizeMapping.GeminiSizes(model),
            AspectRatios = SizeMapping.Gemini(model).RatioLabels,
            MaxInputImages = settings.GeminiMaxInputImages ?? DefaultMaxInputImages(model),
            MaxInputPixels = InputMaxPixels,
            SourceImage = true,
        },
    };

    /// <summary>
    /// The pixels of an input image Gemini reads: about 1 MP. Google's model pages: Gemini 3.1 Flash Image "consumes 1120
    /// input image tokens per input image", the tokens of a "1K (roughly 1MP)" image; Gemini 3 Pro Image 560. A larger
    /// reference is sent as a 1 MP copy (docs/PROVIDERS.md, "Images into the models").
    /// </summary>
    public const int InputMaxPixels = 1024 * 1024;

    /// <summary>
    /// The most a <c>generateContent</c> request may carry inline: Google raised it from 20 MB to 100 MB ("base64
    /// encoded") in January 2026 (blog.google, "Increased file size limits … in Gemini API"). Read as 100,000,000 bytes.
    /// </summary>
    public const long MaxInlineRequestBytes = 100_000_000;

    /// <summary>
    /// Gemini 3 image models take up to 14 reference images; 2.5 Flash Image works best with at most 3 (PROVIDERS.md).
    /// <c>IMAGEGEN_GEMINI_MAX_IMAGES</c> overrides it for a model this table does not know.
    /// </summary>
    public static int DefaultMaxInputImages(string model) => model.StartsWith("gemini-2.", StringComparison.Ordinal) ? 3 : 14;

    private ProviderClient Client => new(http, Provider, Paid: true, headers => headers.Add("x-goog-api-key", settings.GeminiApiKey), ReadError);

    public async Task<ModelAnswer> GenerateAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        // Images first, then the prompt as composed (it says what to do with a source): the source leads, the references follow.
        var parts = new JsonArray(request.InputImages
            .Select(image => (JsonNode)new JsonObject
            {
                ["inlineData"] = new JsonObject { ["mimeType"] = image.ContentType, ["data"] = Convert.ToBase64String(image.Bytes) },
            })
            .Append(new JsonObject { ["text"] = request.Prompt })
            .ToArray());
        var (aspectRatio, imageSize, plan) = SizeMapping.GeminiPlan(model, request.Size);
        var imageConfig = new JsonObject { ["aspectRatio"] = aspectRatio };
        if (imageSize is not null)
        {
            // Left out for the models that do not take it.
            imageConfig["imageSize"] = imageSize;
        }
        var body = new JsonObject
        {
            ["contents"] = new JsonArray(new JsonObject { ["role"] = "user", ["parts"] = parts }),
            ["generationConfig"] = new JsonObject
            {
                ["responseModalities"] = new JsonArray("TEXT", "IMAGE"),
                ["imageConfig"] = imageConfig,
            },
        };
        // Serialized once: checked against the inline limit before anything is sent, then sent as is for every image.
        var json = body.ToJsonString(Json.Options);
        EnsureInlineSize(System.Text.Encoding.UTF8.GetByteCount(json), request.InputImages.Count);
        var url = ProviderUrl.Join(settings.GeminiBaseUrl, "v1beta", $"models/{Uri.EscapeDataString(model)}:generateContent");
        var images = new List<ModelImage>(request.Count);
        var requestIds = new List<string>();
        ModelUsage? usage = null;
        string? version = null;
        ImageGenException? failure = null;
        for (var i = 0; i < request.Count; i++)
        {
            try
            {
                using var response = await Client.PostJsonAsync(url, json, cancellationToken);
                // Usage and ids count even when the answer is a refusal: the call was made (and may be billed).
                usage = ModelUsage.Add(usage, ReadUsage(response.Root.Property("usageMetadata")));
                if ((response.Root.String("responseId") ?? response.RequestId) is { } id)
                {
                    requestIds.Add(id);
                }
                version ??= response.Root.String("modelVersion");
                images.Add(ModelImage.Unfinished(ImageFrom(response.Root), seed: null));
            }
            catch (ImageGenException e) when (images.Count > 0)
            {
                // Keep what arrived; the run says how many are missing and a retry asks only for those.
                failure = e;
                break;
            }
        }
        return new ModelAnswer(images)
        {
            SentSize = plan.Sent, SentPixels = plan.Pixels, RequestIds = requestIds, ModelVersion = version, Usage = usage, Failure = failure,
        };
    }

    /// <summary>A usage error, before sending, for a request over <see cref="MaxInlineRequestBytes"/>, saying what to send less of.</summary>
    internal static void EnsureInlineSize(long bytes, int images)
    {
        if (bytes > MaxInlineRequestBytes)
        {
            throw ImageGenException.Usage(string.Create(CultureInfo.InvariantCulture,
                $"The Gemini request would be {bytes / 1_000_000.0:0.0} MB with its {images} image(s) inline; the Gemini API takes at most {MaxInlineRequestBytes / 1_000_000} MB of inline data in one request. Send fewer or smaller images; nothing was sent."));
        }
    }

    private static byte[] ImageFrom(JsonElement root)
    {
        var feedback = root.Property("promptFeedback");
        if (feedback.String("blockReason") is { } blocked)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"{Provider} refused the prompt: {blocked}{Sentence(feedback.String("blockReasonMessage"))}.");
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
        var message = Sentence(candidate.String("finishMessage"));
        throw new ImageGenException(ErrorKind.Permanent, finish is not null && Refusals.Contains(finish)
            ? $"{Provider} refused to make the image: {finish}{message}."
            : $"{Provider} answered without an image (finishReason {finish ?? "none"}){message}.");
    }

    private static string Sentence(string? text) => string.IsNullOrWhiteSpace(text) ? "" : $" ({text.Trim().TrimEnd('.')})";

    /// <summary>
    /// <c>usageMetadata</c>: prompt tokens split by modality (<c>promptTokensDetails</c>; all text when absent), output split by
    /// <c>candidatesTokensDetails</c> (IMAGE and the rest), thinking tokens counted as text output (they are billed as output).
    /// </summary>
    internal static ModelUsage? ReadUsage(JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        static long Number(JsonElement e, string name) => e.Property(name) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var v) && v >= 0 ? v : 0;
        static long Modality(JsonElement details, string modality) => details.ValueKind == JsonValueKind.Array
            ? details.EnumerateArray().Where(d => d.String("modality") == modality).Sum(d => Number(d, "tokenCount"))
            : 0;
        var prompt = Number(metadata, "promptTokenCount");
        var imageIn = Math.Min(prompt, Modality(metadata.Property("promptTokensDetails"), "IMAGE"));
        var candidates = Number(metadata, "candidatesTokenCount");
        var details = metadata.Property("candidatesTokensDetails");
        // Without a breakdown, an image model's output is its image.
        var imageOut = details.ValueKind == JsonValueKind.Array ? Math.Min(candidates, Modality(details, "IMAGE")) : candidates;
        return new ModelUsage(prompt - imageIn, imageIn, candidates - imageOut + Number(metadata, "thoughtsTokenCount"), imageOut);
    }

    internal static ProviderError ReadError(JsonElement root)
    {
        var error = root.Property("error");
        string? reason = null;
        TimeSpan? retry = null;
        var quotaZero = false;
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
                if (detail.Property("violations") is { ValueKind: JsonValueKind.Array } violations)
                {
                    quotaZero |= violations.EnumerateArray().Any(v => v.Property("quotaValue") switch
                    {
                        { ValueKind: JsonValueKind.String } s => s.GetString() == "0",
                        { ValueKind: JsonValueKind.Number } n => n.GetDouble() == 0,
                        _ => false,
                    });
                }
            }
        }
        var status = error.String("status");
        var message = error.String("message");
        // The quota detail is the reliable sign; the message ("…limit: 0…") is the fallback when details are trimmed.
        quotaZero |= status == "RESOURCE_EXHAUSTED" && message?.Contains("limit: 0", StringComparison.Ordinal) == true;
        return new ProviderError(reason ?? status, message, retry, Advice:
            quotaZero ? "The Google Cloud project behind GEMINI_API_KEY has no quota for this model (its limit is 0): enable billing for the project or choose another model. Retrying will not help."
            : reason == "API_KEY_INVALID" ? "Check GEMINI_API_KEY."
            : null);
    }
}
