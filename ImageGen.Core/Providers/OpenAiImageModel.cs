using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using ImageGen.Core.Generation;

namespace ImageGen.Core.Providers;

/// <summary>
/// <c>openai/&lt;model&gt;</c>: the OpenAI Images API, which answers base64. Text alone goes to
/// <c>POST /v1/images/generations</c> (JSON); with references or a source image the request goes to
/// <c>POST /v1/images/edits</c> as multipart, the source first and then the references as <c>image[]</c> files, a mask as
/// <c>mask</c>, with the same size, format, quality and background fields.
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

    public async Task<IReadOnlyList<ModelImage>> GenerateAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("model", model),
            new("prompt", request.Prompt),
            new("n", request.Count.ToString(CultureInfo.InvariantCulture)),
            new("size", SizeMapping.OpenAiSize(model, request.Size)),
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
        var baseUri = new Uri(settings.OpenAiBaseUrl);
        using var response = await ProviderHttp.PostAsync(http, Provider,
            new Uri(baseUri, edits ? "/v1/images/edits" : "/v1/images/generations"),
            edits
                ? ProviderHttp.Multipart(fields, "image[]", request.InputImages, request.Mask)
                : ProviderHttp.FieldsAsJson(fields),
            headers => headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.OpenAiApiKey),
            ReadError,
            // Out of credit is a 429 that no retry fixes.
            code => code == "insufficient_quota",
            cancellationToken);
        var data = response.RootElement.Property("data");
        if (data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"{Provider} answered without images.");
        }
        return data.EnumerateArray()
            .Select((item, i) => ModelImage.Unfinished(ProviderHttp.DecodeBase64(Provider, item.String("b64_json")), request.Seed + i))
            .ToList();
    }

    internal static ProviderError ReadError(JsonElement root)
    {
        var error = root.Property("error");
        return new ProviderError(error.String("code") ?? error.String("type"), error.String("message"));
    }
}
