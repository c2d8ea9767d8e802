using System.Net.Http.Headers;
using System.Text.Json;
using ImageGen.Core.Generation;

namespace ImageGen.Core.Providers;

/// <summary><c>openai/&lt;model&gt;</c>: the OpenAI Images API (<c>POST /v1/images/generations</c>), which answers base64.</summary>
public sealed class OpenAiImageModel(string model, ProviderSettings settings, HttpClient http) : IImageModel
{
    public const string Prefix = "openai/";
    private const string Provider = "OpenAI";

    public ModelInfo Info { get; } = new(
        Prefix + model, $"OpenAI {model}", "OpenAI Images API.",
        settings.OpenAiApiKey is not null, settings.OpenAiApiKey is null ? "OPENAI_API_KEY is not set." : null);

    public async Task<IReadOnlyList<ModelImage>> GenerateAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object>
        {
            ["model"] = model,
            ["prompt"] = request.Prompt,
            ["n"] = request.Count,
            ["size"] = SizeMapping.OpenAiSize(model, request.Size),
            ["output_format"] = request.Format,
        };
        using var response = await ProviderHttp.PostJsonAsync(http, Provider, new Uri(new Uri(settings.OpenAiBaseUrl), "/v1/images/generations"), body,
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
