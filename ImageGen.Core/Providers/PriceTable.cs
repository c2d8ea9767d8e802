using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Providers;

/// <summary>One model's prices: USD per 1M tokens of each kind, or a flat price per image (0 for local models).</summary>
public sealed record ModelPrice(decimal? TextInput = null, decimal? ImageInput = null, decimal? TextOutput = null, decimal? ImageOutput = null, decimal? PerImage = null);

/// <summary>
/// The price table a run's cost is computed from: the defaults shipped in <c>prices.json</c> (with the date they were
/// taken), with the entries of the file <c>IMAGEGEN_PRICES_FILE</c> names laid over them. A key is a model id, or a
/// prefix ending in <c>*</c> (dated snapshots share their model's price); the exact id wins, then the longest prefix.
/// </summary>
public sealed class PriceTable
{
    public static string FileVariable => ProviderSettingTable.PricesFile.Variable;

    private readonly Dictionary<string, ModelPrice> _prices;

    public PriceTable(IReadOnlyDictionary<string, ModelPrice> prices, string taken)
    {
        _prices = new Dictionary<string, ModelPrice>(prices, StringComparer.Ordinal);
        Taken = taken;
    }

    /// <summary>When the figures were taken (the defaults' date, or the override file's).</summary>
    public string Taken { get; }

    public IReadOnlyDictionary<string, ModelPrice> Entries => _prices;

    internal sealed record PriceFile(string? Taken, Dictionary<string, ModelPrice>? Models);

    /// <summary>The shipped defaults.</summary>
    public static PriceTable Defaults { get; } = LoadDefaults();

    private static PriceTable LoadDefaults()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream("ImageGen.Core.Providers.prices.json")
            ?? throw new InvalidOperationException("prices.json is not embedded.");
        var file = JsonSerializer.Deserialize(stream, PriceJsonContext.Default.PriceFile)!;
        return new PriceTable(file.Models!, file.Taken!);
    }

    /// <summary>The defaults, with the file <see cref="FileVariable"/> names laid over them; a usage error naming the file when it is unreadable.</summary>
    public static PriceTable FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        if (ProviderSettingTable.PricesFile.Read(read) is not { } path)
        {
            return Defaults;
        }
        PriceFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllText(path), PriceJsonContext.Default.PriceFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw ImageGenException.Usage($"{FileVariable} names '{path}', which could not be read as a price table: {e.Message}");
        }
        var merged = new Dictionary<string, ModelPrice>(Defaults._prices, StringComparer.Ordinal);
        foreach (var (model, price) in file?.Models ?? [])
        {
            if (new[] { price.TextInput, price.ImageInput, price.TextOutput, price.ImageOutput, price.PerImage }.Any(p => p < 0))
            {
                throw ImageGenException.Usage($"{FileVariable}: the price of '{model}' is negative.");
            }
            merged[model] = price;
        }
        return new PriceTable(merged, file?.Taken ?? Defaults.Taken);
    }

    public ModelPrice? Find(string model)
    {
        if (_prices.TryGetValue(model, out var exact))
        {
            return exact;
        }
        return _prices
            .Where(p => p.Key.EndsWith('*') && model.StartsWith(p.Key[..^1], StringComparison.Ordinal))
            .OrderByDescending(p => p.Key.Length)
            .Select(p => p.Value)
            .FirstOrDefault();
    }

    /// <summary>The cost of <paramref name="images"/> images made with <paramref name="usage"/> (null when the provider reported none).</summary>
    public RunCost Cost(string model, ModelUsage? usage, int images)
    {
        if (Find(model) is not { } price)
        {
            return new RunCost(null, $"no price for {model} in the price table ({FileVariable} can add one)", Taken);
        }
        if (price.PerImage is { } perImage)
        {
            return new RunCost(perImage * images, perImage == 0 ? "no charge" : string.Create(CultureInfo.InvariantCulture, $"{images} × ${perImage}"), Taken);
        }
        if (usage is null)
        {
            return new RunCost(null, $"{model} is priced per token and the provider reported no usage", Taken);
        }
        const decimal Million = 1_000_000m;
        var usd = (usage.TextInputTokens * (price.TextInput ?? 0) + usage.ImageInputTokens * (price.ImageInput ?? price.TextInput ?? 0)
            + usage.TextOutputTokens * (price.TextOutput ?? 0) + usage.ImageOutputTokens * (price.ImageOutput ?? 0)) / Million;
        return new RunCost(Math.Round(usd, 6), string.Create(CultureInfo.InvariantCulture, $"{usage.TotalTokens:N0} tokens at the {model} prices"), Taken);
    }
}

/// <summary>The price files' reading rules (comments and trailing commas allowed, numbers only as numbers), source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(PriceTable.PriceFile))]
internal sealed partial class PriceJsonContext : JsonSerializerContext;
