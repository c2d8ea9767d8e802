using System.Net.Http.Headers;
using System.Text.Json;
using ImageGen.Core.Generation;

namespace ImageGen.Core.Providers;

/// <summary>
/// <c>compat/&lt;model&gt;</c>: any server that speaks the OpenAI Images API at a configured base URL. Sends only the
/// common fields and always asks for <c>b64_json</c>; still fetches a URL when a server answers one; reads both
/// the OpenAI error shape and FastAPI's <c>{"detail": …}</c>.
/// </summary>
public sealed class CompatImageModel(string model, ProviderSettings settings, HttpClient http) : IImageModel
{
    public const string Prefix = "compat/";
    private const string Provider = "The compatible server";

    public ModelInfo Info { get; } = new(
        Prefix + model, $"Compatible server ({model})", "A self-hosted server that speaks the OpenAI Images API.",
        settings.CompatBaseUrl is not null, settings.CompatBaseUrl is null ? "IMAGEGEN_COMPAT_BASE_URL is not set." : null);

    public async Task<IReadOnlyList<ModelImage>> GenerateAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        var baseUri = new Uri(settings.CompatBaseUrl!);
        var body = new Dictionary<string, object>
        {
            ["prompt"] = request.Prompt,
            ["n"] = request.Count,
            ["size"] = request.Size.ToString(),
            ["response_format"] = "b64_json",
        };
        if (model != "default")
        {
            body["model"] = model;
        }
        using var response = await ProviderHttp.PostJsonAsync(http, Provider, new Uri(baseUri, "v1/images/generations"), body,
            headers =>
            {
                if (settings.CompatApiKey is not null)
                {
                    headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.CompatApiKey);
                }
            },
            ReadError, null, cancellationToken);
        var data = response.RootElement.Property("data");
        if (data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"{Provider} answered without images.");
        }
        var images = new List<ModelImage>();
        var index = 0;
        ImageUrlFetcher? fetcher = null; // made only for a server that answers URLs
        try
        {
            foreach (var item in data.EnumerateArray())
            {
                var bytes = item.String("b64_json") is { } b64
                    ? ProviderHttp.DecodeBase64(Provider, b64)
                    : item.String("url") is { } url
                        ? await (fetcher ??= new ImageUrlFetcher(baseUri, http.Timeout)).FetchAsync(Provider, ImageUrl(baseUri, url), cancellationToken)
                        : throw new ImageGenException(ErrorKind.Permanent, $"{Provider} answered an image with neither b64_json nor url.");
                images.Add(ModelImage.Unfinished(bytes, request.Seed + index++));
            }
            return images;
        }
        finally
        {
            fetcher?.Dispose();
        }
    }

    private static Uri ImageUrl(Uri baseUri, string url) =>
        Uri.TryCreate(baseUri, url, out var absolute)
            ? absolute
            : throw new ImageGenException(ErrorKind.Permanent, $"{Provider} answered an image URL that is not a URL: '{(url.Length > 100 ? url[..100] + "…" : url)}'.");

    internal static ProviderError ReadError(JsonElement root)
    {
        if (root.Property("error") is { ValueKind: JsonValueKind.Object } error)
        {
            return new ProviderError(error.String("code") ?? error.String("type"), error.String("message"));
        }
        var detail = root.Property("detail");
        return detail.ValueKind switch
        {
            JsonValueKind.String => new ProviderError(null, detail.GetString()),
            JsonValueKind.Array => new ProviderError(null, string.Join("; ", detail.EnumerateArray().Select(d => d.String("msg") ?? d.ToString()))),
            JsonValueKind.Object => new ProviderError(null, detail.String("message") ?? detail.ToString()),
            _ => new ProviderError(null, null),
        };
    }
}
