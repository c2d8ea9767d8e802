using ImageGen.Core.Imaging;
using ImageGen.Core.Providers;

namespace ImageGen.Core.Generation;

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

    /// <summary>Produces <see cref="ModelRequest.Count"/> images, each encoded in the requested format with its provenance.</summary>
    Task<IReadOnlyList<ModelImage>> GenerateAsync(ModelRequest request, CancellationToken cancellationToken);
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

    /// <summary>The provenance of one image made for this request.</summary>
    public Provenance ProvenanceFor(string model, long seed) => new(Prompt, model, seed, Size.Width, Size.Height, Format, OfflineProceduralModel.Generator)
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
/// provenance embedded (the offline model); provider output is not, and the generator finishes it locally.
/// </summary>
public sealed record ModelImage(byte[] Bytes, int Width, int Height, string Format, long Seed, bool Finished = true)
{
    public static ModelImage Unfinished(byte[] bytes, long seed) => new(bytes, 0, 0, "", seed, Finished: false);
}

/// <summary>
/// The models this build knows. The listed ones are the offline model and each provider's configured default;
/// any other <c>provider/model</c> id of a known provider resolves too (e.g. <c>openai/gpt-image-1.5</c>).
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

    /// <summary>The stock registry: the offline model and the OpenAI, Gemini and compatible-server providers.</summary>
    public static ModelRegistry CreateDefault(ProviderSettings? settings = null, HttpClient? http = null)
    {
        settings ??= new ProviderSettings();
        http ??= new HttpClient { Timeout = settings.RequestTimeout };
        var providers = new Dictionary<string, Func<string, IImageModel>>
        {
            [OpenAiImageModel.Prefix] = model => new OpenAiImageModel(model, settings, http),
            [GeminiImageModel.Prefix] = model => new GeminiImageModel(model, settings, http),
            [CompatImageModel.Prefix] = model => new CompatImageModel(model, settings, http),
        };
        return new ModelRegistry(
            [
                new OfflineProceduralModel(),
                providers[OpenAiImageModel.Prefix](settings.OpenAiModel),
                providers[GeminiImageModel.Prefix](settings.GeminiModel),
                providers[CompatImageModel.Prefix](settings.CompatModel),
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
            $"Unknown model '{id}'. Known models: {string.Join(", ", _listed.Keys.Order(StringComparer.Ordinal))} (or another model of openai/, google/ or compat/).");
        if (!model.Info.Available)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"Model '{id}' is not available: {model.Info.UnavailableReason}");
        }
        return model;
    }
}
