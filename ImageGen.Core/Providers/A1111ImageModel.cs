using System.Text.Json.Nodes;
using System.Globalization;
using System.Text.Json;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Providers;

/// <summary>
/// <c>a1111/&lt;checkpoint&gt;</c>: AUTOMATIC1111's web UI API, which Forge and SD.Next speak too (started with
/// <c>--api</c>). Text goes to <c>POST {base}/sdapi/v1/txt2img</c>; a source image to <c>img2img</c> as
/// <c>init_images</c> with <c>denoising_strength</c>. The size is rounded to the 8 px latent grid, all images come from
/// one call (<c>batch_size</c>), and each image's real seed is read from the answer's <c>info</c> (<c>all_seeds</c>).
/// Steps and sampler are settings; a checkpoint other than <c>default</c> is asked for with <c>override_settings</c>.
/// </summary>
public sealed class A1111ImageModel(string model, ProviderSettings settings, HttpClient http) : IImageModel
{
    public const string Prefix = "a1111/";
    private const string Provider = "The AUTOMATIC1111 server";

    public ModelInfo Info { get; } = new(
        Prefix + model, model == "default" ? "AUTOMATIC1111 / Forge / SD.Next" : $"AUTOMATIC1111 ({model})",
        "A local Stable Diffusion web UI (AUTOMATIC1111, Forge or SD.Next) through its API.",
        settings.A1111BaseUrl is not null, settings.A1111BaseUrl is null ? "IMAGEGEN_A1111_BASE_URL is not set." : null)
    {
        Capabilities = new ModelCapabilities
        {
            Seed = true,
            Sizes = "any size, each side rounded to a multiple of 8 (64–2048 px); the output is resized locally to the exact size",
            MaxInputImages = 1,
            ReferenceImages = false,
            SourceImage = true,
        },
    };

    /// <summary>HTTP Basic when the server runs with <c>--api-auth</c>: <c>IMAGEGEN_A1111_AUTH</c>, or the credentials in the base URL.</summary>
    private ProviderClient Client => new(http, Provider, Paid: false,
        ProviderHttp.BasicAuth(settings.A1111BaseUrl!, "IMAGEGEN_A1111_BASE_URL", settings.A1111Auth, ProviderSettings.A1111AuthVariable), ReadError);

    public async Task<ModelAnswer> GenerateAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        var size = SizeMapping.StableDiffusion(request.Size);
        var body = new JsonObject
        {
            ["prompt"] = request.Prompt,
            ["negative_prompt"] = "",
            ["seed"] = request.Seed,
            ["width"] = size.Width,
            ["height"] = size.Height,
            ["steps"] = settings.A1111Steps,
            ["sampler_name"] = settings.A1111Sampler,
            ["batch_size"] = request.Count,
            ["n_iter"] = 1,
            ["send_images"] = true,
            ["save_images"] = false,
        };
        if (model != "default")
        {
            body["override_settings"] = new JsonObject { ["sd_model_checkpoint"] = model };
        }
        if (request.Source is { } source)
        {
            body["init_images"] = new JsonArray(Convert.ToBase64String(source.Bytes));
            body["denoising_strength"] = settings.A1111Denoising;
        }
        var url = ProviderUrl.Join(settings.A1111BaseUrl!, "", request.Source is null ? "sdapi/v1/txt2img" : "sdapi/v1/img2img");
        using var response = await Client.PostJsonAsync(url, body, cancellationToken);
        var images = response.Root.Property("images");
        if (images.ValueKind != JsonValueKind.Array || images.GetArrayLength() == 0)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"{Provider} answered without images.");
        }
        var (seeds, checkpoint) = ReadInfo(response.Root.String("info"));
        // Extensions (ControlNet and the like) may append their own images after the batch: only the batch is ours.
        var made = images.EnumerateArray().Take(request.Count)
            .Select((image, i) => ModelImage.Unfinished(ProviderHttp.DecodeBase64(Provider, StripDataUrl(image.GetString())),
                i < seeds.Count ? seeds[i] : request.Seed + i))
            .ToList();
        return new ModelAnswer(made)
        {
            SentSize = size.Sent,
            SentPixels = size.Pixels,
            ModelVersion = checkpoint,
        };
    }

    /// <summary>The seeds the server really used (<c>all_seeds</c>, else <c>seed</c>) and the checkpoint it ran, from the <c>info</c> JSON string.</summary>
    internal static (IReadOnlyList<long> Seeds, string? Checkpoint) ReadInfo(string? info)
    {
        if (string.IsNullOrEmpty(info))
        {
            return ([], null);
        }
        try
        {
            using var document = JsonDocument.Parse(info);
            var root = document.RootElement;
            var seeds = root.Property("all_seeds") is { ValueKind: JsonValueKind.Array } all
                ? all.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Number).Select(s => s.GetInt64()).ToList()
                : root.Property("seed") is { ValueKind: JsonValueKind.Number } one ? [one.GetInt64()] : [];
            var checkpoint = root.String("sd_model_name") is { } name
                ? root.String("sd_model_hash") is { } hash ? $"{name} [{hash}]" : name
                : null;
            return (seeds, checkpoint);
        }
        catch (JsonException)
        {
            return ([], null);
        }
    }

    private static string? StripDataUrl(string? data) =>
        data is not null && data.StartsWith("data:", StringComparison.Ordinal) && data.IndexOf(',', StringComparison.Ordinal) is var comma and > 0 ? data[(comma + 1)..] : data;

    /// <summary>FastAPI's <c>{"detail": …}</c>, or A1111's own <c>{"error", "detail", "body", "errors"}</c>.</summary>
    internal static ProviderError ReadError(JsonElement root)
    {
        var detail = root.Property("detail");
        var detailText = detail.ValueKind switch
        {
            JsonValueKind.String => detail.GetString(),
            JsonValueKind.Array => string.Join("; ", detail.EnumerateArray().Select(d =>
                d.Property("loc") is { ValueKind: JsonValueKind.Array } loc
                    ? $"{string.Join(".", loc.EnumerateArray().Select(l => l.ToString()))}: {d.String("msg")}"
                    : d.String("msg") ?? d.ToString())),
            JsonValueKind.Object => detail.String("message") ?? detail.ToString(),
            _ => null,
        };
        var errors = root.Property("errors") switch
        {
            { ValueKind: JsonValueKind.String } e => e.GetString(),
            { ValueKind: JsonValueKind.Array or JsonValueKind.Object } e => e.ToString(),
            _ => null,
        };
        var message = string.Join(": ", new[] { detailText, errors }.Where(m => !string.IsNullOrWhiteSpace(m)));
        return new ProviderError(root.String("error"), message.Length == 0 ? null : message);
    }
}
