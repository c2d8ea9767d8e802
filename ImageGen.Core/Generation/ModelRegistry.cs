namespace ImageGen.Core.Generation;

/// <summary>A model as the CLI and the UI list it. Unavailable models are listed with the reason, not hidden.</summary>
public sealed record ModelInfo(string Id, string DisplayName, string Description, bool Available, string? UnavailableReason = null);

/// <summary>One image model behind a <c>provider/model</c> id.</summary>
public interface IImageModel
{
    ModelInfo Info { get; }

    /// <summary>Produces <see cref="ModelRequest.Count"/> images, each encoded in the requested format with its provenance.</summary>
    Task<IReadOnlyList<ModelImage>> GenerateAsync(ModelRequest request, CancellationToken cancellationToken);
}

public sealed record ModelRequest(string Prompt, ImageSize Size, string Format, int Count, long Seed);

public sealed record ModelImage(byte[] Bytes, int Width, int Height, string Format, long Seed);

/// <summary>The models this build knows, by id.</summary>
public sealed class ModelRegistry(IEnumerable<IImageModel> models)
{
    public const string DefaultModelId = OfflineProceduralModel.Id;

    private readonly Dictionary<string, IImageModel> _models = models.ToDictionary(m => m.Info.Id, StringComparer.Ordinal);

    /// <summary>The registry of a stock build: the offline model.</summary>
    public static ModelRegistry CreateDefault() => new([new OfflineProceduralModel()]);

    public IReadOnlyList<ModelInfo> List() => _models.Values.Select(m => m.Info).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();

    /// <summary>The model for <paramref name="id"/>; a usage error naming the known ids when there is none.</summary>
    public IImageModel Resolve(string id)
    {
        if (!_models.TryGetValue(id, out var model))
        {
            throw ImageGenException.Usage($"Unknown model '{id}'. Known models: {string.Join(", ", _models.Keys.Order(StringComparer.Ordinal))}.");
        }
        if (!model.Info.Available)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"Model '{id}' is not available: {model.Info.UnavailableReason}");
        }
        return model;
    }
}
