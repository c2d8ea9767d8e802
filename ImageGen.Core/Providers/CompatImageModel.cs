using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Providers;

/// <summary>
/// <c>compat/&lt;model&gt;</c>: any server that speaks the OpenAI Images API at a configured base URL. Sends only the
/// common fields and always asks for <c>b64_json</c>; still fetches a URL when a server answers one; reads both
/// the OpenAI error shape and FastAPI's <c>{"detail": …}</c>. The base URL is joined like the OpenAI SDKs' (a bare origin
/// gets <c>/v1</c>). A seed is sent only to a server declared to take one (<c>IMAGEGEN_COMPAT_SEED</c>).
/// </summary>
public sealed class CompatImageModel(string model, ProviderSettings settings, HttpClient http) : IImageModel
{
    public const string Prefix = "compat/";
    private const string Provider = "The compatible server";

    public ModelInfo Info { get; } = new(
        Prefix + model, $"Compatible server ({model})", "A self-hosted server that speaks the OpenAI Images API.",
        settings.CompatBaseUrl is not null, settings.CompatBaseUrl is null ? "IMAGEGEN_COMPAT_BASE_URL is not set." : null)
    {
        // Only what the server is declared to take (IMAGEGEN_COMPAT_MAX_IMAGES, IMAGEGEN_COMPAT_SEED); text only, no seed by default.
        Capabilities = new ModelCapabilities
        {
            Seed = settings.CompatSeed,
            Sizes = "the size is sent as asked; the output is resized locally when the server makes another",
            MaxInputImages = settings.CompatMaxInputImages,
            SourceImage = settings.CompatMaxInputImages > 0,
        },
    };

    /// <summary><c>IMAGEGEN_COMPAT_API_KEY</c> as a bearer token, or HTTP Basic when the base URL carries credentials instead.</summary>
    private ProviderClient Client => new(http, Provider, Paid: false,
        ProviderHttp.BasicAuth(settings.CompatBaseUrl!, "IMAGEGEN_COMPAT_BASE_URL", bearer: settings.CompatApiKey, bearerVariable: "IMAGEGEN_COMPAT_API_KEY"),
        ReadError);

    public async Task<ModelAnswer> GenerateAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        // With images, the OpenAI edits shape (multipart image[]), which is what an OpenAI-compatible server that takes
        // images implements; a server declared text only never gets here with images (its capabilities refuse them).
        var edits = request.InputImages.Count > 0;
        var url = ProviderUrl.Join(settings.CompatBaseUrl!, "v1", edits ? "images/edits" : "images/generations");
        // A server with a seed field gets one call per image, each with its own seed, so each file's seed remakes it.
        var calls = settings.CompatSeed ? Enumerable.Range(0, request.Count).Select(i => (Count: 1, Seed: (long?)(request.Seed + i))).ToList()
            : [(request.Count, null)];
        var images = new List<ModelImage>(request.Count);
        var requestIds = new List<string>();
        ImageGenException? failure = null;
        ImageUrlFetcher? fetcher = null; // made only for a server that answers URLs
        try
        {
            foreach (var (count, seed) in calls)
            {
                var fields = new List<KeyValuePair<string, string>>
                {
                    new("prompt", request.Prompt),
                    new("n", count.ToString(CultureInfo.InvariantCulture)),
                    new("size", request.Size.ToString()),
                    new("response_format", "b64_json"),
                };
                if (model != "default")
                {
                    fields.Add(new("model", model));
                }
                if (seed is { } s)
                {
                    fields.Add(new("seed", s.ToString(CultureInfo.InvariantCulture)));
                }
                try
                {
                    using var response = await Client.PostAsync(url,
                        edits ? ProviderHttp.Multipart(fields, "image[]", request.InputImages, mask: null) : ProviderHttp.FieldsAsJson(fields),
                        cancellationToken);
                    if (response.RequestId is { } id)
                    {
                        requestIds.Add(id);
                    }
                    var data = response.Root.Property("data");
                    if (data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
                    {
                        throw new ImageGenException(ErrorKind.Permanent, $"{Provider} answered without images.");
                    }
                    foreach (var item in data.EnumerateArray())
                    {
                        var bytes = item.String("b64_json") is { } b64
                            ? ProviderHttp.DecodeBase64(Provider, b64)
                            : item.String("url") is { } imageUrl
                                ? await (fetcher ??= new ImageUrlFetcher(url, http.Timeout)).FetchAsync(Provider, ImageUrl(url, imageUrl), cancellationToken)
                                : throw new ImageGenException(ErrorKind.Permanent, $"{Provider} answered an image with neither b64_json nor url.");
                        images.Add(ModelImage.Unfinished(bytes, seed));
                    }
                }
                catch (ImageGenException e) when (images.Count > 0)
                {
                    failure = e;
                    break;
                }
            }
        }
        finally
        {
            fetcher?.Dispose();
        }
        return new ModelAnswer(images) { RequestIds = requestIds, Failure = failure };
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
