using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Providers;

/// <summary>
/// <c>openai/&lt;model&gt;</c>: the OpenAI Images API, which answers base64. Text alone goes to
/// <c>{base}/images/generations</c> (JSON); with references or a source image the request goes to
/// <c>{base}/images/edits</c> as multipart, the source first and then the references as <c>image[]</c> files, a mask as
/// <c>mask</c>, with the same size, format, quality and background fields. The base carries the version path, as in the
/// SDKs (<c>https://api.openai.com/v1</c>). The size sent is the nearest the model accepts (<see cref="SizeMapping.OpenAi"/>).
/// GPT image models take no seed. The answer's <c>usage</c> and the <c>x-request-id</c> header are kept.
/// </summary>
/// <remarks>
/// Before anything is sent, the model must be one ImageGen knows (priced in <paramref name="prices"/>, the price table
/// <c>IMAGEGEN_PRICES_FILE</c> extends, and not shut down by OpenAI), and a mask must be under <see cref="MaxMaskBytes"/>:
/// either would be refused by OpenAI after the upload.
/// </remarks>
public sealed class OpenAiImageModel(string model, ProviderSettings settings, HttpClient http, PriceTable? prices = null) : IImageModel
{
    public const string Prefix = "openai/";
    private const string Provider = "OpenAI";

    /// <summary>Images one edits request may carry (the source and the references together).</summary>
    public const int MaxInputImages = 16;

    /// <summary>OpenAI's edits reference: the mask is a PNG "less than 4MB". Read as 4,000,000 bytes, the stricter reading.</summary>
    public const int MaxMaskBytes = 4_000_000;

    /// <summary>
    /// Models OpenAI has shut down (its deprecations page, as docs/PROVIDERS.md records it), and when: they answer
    /// <c>model_not_found</c>, and DALL·E refuses the size, <c>n</c> and <c>output_format</c> ImageGen sends.
    /// A dated snapshot (<c>gpt-image-1-2025-04-15</c>) goes with its model.
    /// </summary>
    public static IReadOnlyList<(string Model, string ShutDown)> Retired { get; } =
    [
        ("dall-e-2", "May 2026"), ("dall-e-3", "May 2026"), ("gpt-image-1", "October 2026"),
        ("gpt-image-1.5", "1 December 2026"), ("gpt-image-1-mini", "1 December 2026"), ("chatgpt-image-latest", "1 December 2026"),
    ];

    public ModelInfo Info { get; } = new(
        Prefix + model, $"OpenAI {model}", "OpenAI Images API.",
        settings.OpenAiApiKey is not null, settings.OpenAiApiKey is null ? "OPENAI_API_KEY is not set." : null)
    {
        Capabilities = new ModelCapabilities
        {
            Sizes = SizeMapping.OpenAiSizes(model),
            MaxInputImages = MaxInputImages,
            SourceImage = true,
            Mask = true,
            Transparency = true,
            Qualities = [Qualities.Low, Qualities.Medium, Qualities.High],
        },
    };

    private ProviderClient Client => new(http, Provider, Paid: true,
        headers => headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.OpenAiApiKey), ReadError);

    public async Task<ModelAnswer> GenerateAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        EnsureKnown(model, prices ?? PriceTable.Defaults);
        if (request.Mask is { } mask && mask.Bytes.Length >= MaxMaskBytes)
        {
            throw ImageGenException.Usage(string.Create(CultureInfo.InvariantCulture,
                $"--mask is {mask.Bytes.Length / 1_000_000.0:0.0} MB ({mask.Bytes.Length:N0} bytes); OpenAI takes a mask under 4 MB ({MaxMaskBytes:N0} bytes). Save it as a smaller PNG (fewer colours, or 8-bit with alpha) and try again; nothing was uploaded."));
        }
        var size = SizeMapping.OpenAi(model, request.Size);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("model", model),
            new("prompt", request.Prompt),
            new("n", request.Count.ToString(CultureInfo.InvariantCulture)),
            new("size", size.Sent),
            new("output_format", request.Format),
        };
        if (request.Quality != Qualities.Auto)
        {
            fields.Add(new("quality", request.Quality));
        }
        if (request.Background != Backgrounds.Auto)
        {
            fields.Add(new("background", request.Background));
        }
        var edits = request.InputImages.Count > 0;
        using var response = await Client.PostAsync(
            ProviderUrl.Join(settings.OpenAiBaseUrl, "v1", edits ? "images/edits" : "images/generations"),
            edits ? ProviderHttp.Multipart(fields, "image[]", request.InputImages, request.Mask) : ProviderHttp.FieldsAsJson(fields),
            cancellationToken);
        var data = response.Root.Property("data");
        if (data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"{Provider} answered without images.");
        }
        var images = data.EnumerateArray()
            .Select(item => ModelImage.Unfinished(ProviderHttp.DecodeBase64(Provider, item.String("b64_json")), seed: null))
            .ToList();
        return new ModelAnswer(images)
        {
            SentSize = size.Sent,
            SentPixels = size.Pixels,
            RequestIds = response.RequestId is { } id ? [id] : [],
            Usage = ReadUsage(response.Root.Property("usage")),
        };
    }

    /// <summary>
    /// A usage error, before anything is sent, for a model OpenAI has shut down or one the price table does not know,
    /// naming the models that can be used.
    /// </summary>
    internal static void EnsureKnown(string model, PriceTable prices)
    {
        bool Is(string id) => model == id || (model.StartsWith(id + "-", StringComparison.Ordinal)
            && System.Text.RegularExpressions.Regex.IsMatch(model[(id.Length + 1)..], @"^\d{4}-\d{2}-\d{2}$"));
        var known = prices.Entries.Keys
            .Where(k => k.StartsWith(Prefix, StringComparison.Ordinal) && !Retired.Any(r => k.TrimEnd('*') == Prefix + r.Model))
            .Order(StringComparer.Ordinal).ToList();
        var list = known.Count == 0 ? "none (add one with its prices to IMAGEGEN_PRICES_FILE)" : string.Join(", ", known);
        if (Retired.FirstOrDefault(r => Is(r.Model)) is { Model: not null } retired)
        {
            throw ImageGenException.Usage($"{Prefix}{model} was shut down by OpenAI ({retired.ShutDown}); nothing was sent. "
                + $"OpenAI models ImageGen knows: {list}. Set IMAGEGEN_OPENAI_MODEL or --model to one of them.");
        }
        if (prices.Find(Prefix + model) is null)
        {
            throw ImageGenException.Usage($"{Prefix}{model} is not an OpenAI image model ImageGen knows (the price table has no entry for it); nothing was sent. "
                + $"OpenAI models ImageGen knows: {list} (* stands for dated snapshots). A newer model can be added with its prices in IMAGEGEN_PRICES_FILE.");
        }
    }

    /// <summary><c>usage</c>: input tokens split into text and image by <c>input_tokens_details</c>; output tokens are image tokens unless <c>output_tokens_details</c> splits them.</summary>
    internal static ModelUsage? ReadUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        long Number(JsonElement e, string name) => e.Property(name) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var v) && v >= 0 ? v : 0;
        var input = Number(usage, "input_tokens");
        var output = Number(usage, "output_tokens");
        var inputDetails = usage.Property("input_tokens_details");
        var imageInput = Math.Min(input, Number(inputDetails, "image_tokens"));
        var outputDetails = usage.Property("output_tokens_details");
        var textOutput = outputDetails.ValueKind == JsonValueKind.Object ? Math.Min(output, Number(outputDetails, "text_tokens")) : 0;
        return new ModelUsage(input - imageInput, imageInput, textOutput, output - textOutput);
    }

    internal static ProviderError ReadError(JsonElement root)
    {
        var error = root.Property("error");
        var code = error.String("code") ?? error.String("type");
        return new ProviderError(code, error.String("message"), Advice: code switch
        {
            // Out of credit is a 429 that no retry fixes.
            "insufficient_quota" => "The account has no credit left: add credit or raise the monthly limit in the OpenAI billing settings, then use Retry.",
            "invalid_api_key" => "Check OPENAI_API_KEY.",
            "model_not_found" => $"Set IMAGEGEN_OPENAI_MODEL to a model the account can use (see docs/PROVIDERS.md).",
            _ => null,
        });
    }
}
