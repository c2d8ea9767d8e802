using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using ImageGen.Core.Generation;

namespace ImageGen.Core.Providers;

/// <summary>
/// <c>openai/&lt;model&gt;</c>: the OpenAI Images API, which answers base64. Text alone goes to
/// <c>{base}/images/generations</c> (JSON); with references or a source image the request goes to
/// <c>{base}/images/edits</c> as multipart, the source first and then the references as <c>image[]</c> files, a mask as
/// <c>mask</c>, with the same size, format, quality and background fields. The base carries the version path, as in the
/// SDKs (<c>https://api.openai.com/v1</c>). The size sent is the nearest the model accepts (<see cref="SizeMapping.OpenAi"/>).
/// GPT image models take no seed. The answer's <c>usage</c> and the <c>x-request-id</c> header are kept.
/// </summary>
public sealed class OpenAiImageModel(string model, ProviderSettings settings, HttpClient http) : IImageModel
{
    public const string Prefix = "openai/";
    private const string Provider = "OpenAI";

    /// <summary>Images one edits request may carry (the source and the references together).</summary>
    public const int MaxInputImages = 16;

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
            RequestIds = response.RequestId is { } id ? [id] : [],
            Usage = ReadUsage(response.Root.Property("usage")),
        };
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
