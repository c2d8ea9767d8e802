using ImageGen.Core.Imaging;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Providers;

/// <summary>A model as the CLI and the UI list it. Unavailable models are listed with the reason, not hidden.</summary>
public sealed record ModelInfo(string Id, string DisplayName, string Description, bool Available, string? UnavailableReason = null)
{
    /// <summary>What the model honours: the table validation, the generate form and <c>imagegen models --json</c> share.</summary>
    public ModelCapabilities Capabilities { get; init; } = ModelCapabilities.TextOnly;
}

/// <summary>One image model behind a <c>provider/model</c> id.</summary>
public interface IImageModel
{
    ModelInfo Info { get; }

    /// <summary>
    /// Produces <see cref="ModelRequest.Count"/> images. A provider that makes one image per call and fails part-way
    /// returns the images it has with <see cref="ModelAnswer.Failure"/> set, so what was paid for is kept.
    /// </summary>
    Task<ModelAnswer> GenerateAsync(ModelRequest request, CancellationToken cancellationToken);
}

public sealed record ModelRequest(string Prompt, ImageSize Size, string Format, int Count, long Seed)
{
    /// <summary>Images that shape the result (brand assets, uploads), in the order chosen.</summary>
    public IReadOnlyList<InputImage> References { get; init; } = [];

    /// <summary>The image to start from (image-to-image), when there is one.</summary>
    public InputImage? Source { get; init; }

    /// <summary>A PNG whose transparent pixels mark the part of <see cref="Source"/> to change.</summary>
    public InputImage? Mask { get; init; }

    public string Background { get; init; } = Backgrounds.Auto;
    public string Quality { get; init; } = Qualities.Auto;

    /// <summary>The images sent, source first: providers that take a list treat the first one as the image to edit.</summary>
    public IReadOnlyList<InputImage> InputImages => Source is null ? References : [Source, .. References];

    /// <summary>The provenance of one image made for this request; <paramref name="seed"/> null when the model takes none.</summary>
    public Provenance ProvenanceFor(string model, long? seed) => new(Prompt, model, seed, Size.Width, Size.Height, Format, OfflineProceduralModel.Generator)
    {
        References = References.Count == 0 ? null : References.Select(r => r.Sha256).ToList(),
        Source = Source?.Sha256,
        Mask = Mask?.Sha256,
        Background = Background == Backgrounds.Auto ? null : Background,
        Quality = Quality == Qualities.Auto ? null : Quality,
    };
}

/// <summary>
/// One image from a model. <see cref="Finished"/> images are already in the requested size and format with
/// provenance embedded (the offline model); provider output is not, and the generator keeps it as sent when it is
/// already what was asked, else converts it and keeps the provider's file beside the result.
/// </summary>
/// <param name="Seed">The seed that made this image, as the provider applied it; null when the model takes no seed.</param>
public sealed record ModelImage(byte[] Bytes, int Width, int Height, string Format, long? Seed, bool Finished = true)
{
    public static ModelImage Unfinished(byte[] bytes, long? seed) => new(bytes, 0, 0, "", seed, Finished: false);
}

/// <summary>What a model answered: its images and what the provider said about the request.</summary>
public sealed record ModelAnswer(IReadOnlyList<ModelImage> Images)
{
    /// <summary>What was asked of the provider for the size, in its terms (<c>1280x720</c>, <c>16:9 at 2K</c>); null when the model draws any size exactly.</summary>
    public string? SentSize { get; init; }

    /// <summary>
    /// The pixels the provider is expected to make for <see cref="SentSize"/>; null when it draws any size exactly. When it
    /// is smaller than asked, the image is upscaled locally and the run says so (<see cref="RunFacts.SizeNote"/>).
    /// </summary>
    public ImageSize? SentPixels { get; init; }

    /// <summary>The provider's id of each request (headers or body), for its support and its logs.</summary>
    public IReadOnlyList<string> RequestIds { get; init; } = [];

    /// <summary>The model version the provider says answered (Gemini <c>modelVersion</c>, a checkpoint's name).</summary>
    public string? ModelVersion { get; init; }

    /// <summary>Tokens the provider reported over all calls; null when it reports none.</summary>
    public ModelUsage? Usage { get; init; }

    /// <summary>A call failed after <see cref="Images"/> had arrived: the run keeps those and says how many are missing.</summary>
    public ImageGenException? Failure { get; init; }
}

/// <summary>
/// The models this build knows. The listed ones are the offline model and each provider's configured default;
/// any other <c>provider/model</c> id of a known provider resolves too (e.g. <c>google/gemini-3-pro-image</c>).
/// </summary>
public sealed class ModelRegistry
{
    public const string DefaultModelId = OfflineProceduralModel.Id;

    private readonly Dictionary<string, IImageModel> _listed;
    private readonly Dictionary<string, Func<string, IImageModel>> _providers;

    public ModelRegistry(IEnumerable<IImageModel> listed, IReadOnlyDictionary<string, Func<string, IImageModel>>? providers = null)
    {
        _listed = listed.ToDictionary(m => m.Info.Id, StringComparer.Ordinal);
        _providers = new Dictionary<string, Func<string, IImageModel>>(providers ?? new Dictionary<string, Func<string, IImageModel>>(), StringComparer.Ordinal);
    }

    /// <summary>The stock registry: the offline model, the OpenAI and Gemini providers, and the self-hosted ones (OpenAI-compatible, AUTOMATIC1111, ComfyUI).</summary>
    /// <param name="prices">The price table, which also says which OpenAI models exist (<see cref="OpenAiImageModel.EnsureKnown"/>); the shipped one when null.</param>
    public static ModelRegistry CreateDefault(ProviderSettings? settings = null, HttpClient? http = null, PriceTable? prices = null)
    {
        settings ??= new ProviderSettings();
        http ??= new HttpClient { Timeout = settings.RequestTimeout };
        var providers = new Dictionary<string, Func<string, IImageModel>>
        {
            [OpenAiImageModel.Prefix] = model => new OpenAiImageModel(model, settings, http, prices),
            [GeminiImageModel.Prefix] = model => new GeminiImageModel(model, settings, http),
            [CompatImageModel.Prefix] = model => new CompatImageModel(model, settings, http),
            [A1111ImageModel.Prefix] = model => new A1111ImageModel(model, settings, http),
            [ComfyUiImageModel.Prefix] = model => new ComfyUiImageModel(model, settings, http),
        };
        return new ModelRegistry(
            [
                new OfflineProceduralModel(settings.PngCompression),
                providers[OpenAiImageModel.Prefix](settings.OpenAiModel),
                providers[GeminiImageModel.Prefix](settings.GeminiModel),
                providers[CompatImageModel.Prefix](settings.CompatModel),
                providers[A1111ImageModel.Prefix](settings.A1111Model),
                providers[ComfyUiImageModel.Prefix](settings.ComfyUiModel),
            ],
            providers);
    }

    public IReadOnlyList<ModelInfo> List() => _listed.Values.Select(m => m.Info).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();

    /// <summary>The model for <paramref name="id"/>, or null when no listed model or provider matches.</summary>
    public IImageModel? Find(string id)
    {
        if (_listed.TryGetValue(id, out var model))
        {
            return model;
        }
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < id.Length - 1 && _providers.TryGetValue(id[..(slash + 1)], out var create) ? create(id[(slash + 1)..]) : null;
    }

    /// <summary>The model for <paramref name="id"/>; a usage error naming the known ids when there is none.</summary>
    public IImageModel Resolve(string id)
    {
        var model = Find(id) ?? throw ImageGenException.Usage(
            $"Unknown model '{id}'. Known models: {string.Join(", ", _listed.Keys.Order(StringComparer.Ordinal))} (or another model of openai/, google/, compat/, a1111/ or comfyui/).");
        if (!model.Info.Available)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"Model '{id}' is not available: {model.Info.UnavailableReason}");
        }
        return model;
    }
}
