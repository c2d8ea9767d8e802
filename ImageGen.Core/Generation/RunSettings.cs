using System.Globalization;
using System.Text.Json;

namespace ImageGen.Core.Generation;

/// <summary>
/// What a run was asked for beyond its model and prompt, as stored in <c>runs.settings_json</c>. Every reader (the run list,
/// "more like this", the diff of two runs, the export) goes through this record.
/// </summary>
public sealed record RunSettings
{
    public int Count { get; init; } = 1;
    public string? Size { get; init; }
    public string? AspectRatio { get; init; }
    public string Format { get; init; } = "png";
    public long? Seed { get; init; }
    public string Background { get; init; } = Backgrounds.Auto;
    public string Quality { get; init; } = Qualities.Auto;

    /// <summary>The reference images sent, with their hashes.</summary>
    public IReadOnlyList<InputFile>? References { get; init; }

    /// <summary>The candidate the run started from (image-to-image), with its hash.</summary>
    public InputFile? Source { get; init; }

    public static RunSettings Of(GeneratePayload payload) => new()
    {
        Count = payload.Count, Size = payload.Size, AspectRatio = payload.AspectRatio, Format = payload.Format, Seed = payload.Seed,
        Background = payload.Background, Quality = payload.Quality,
        References = payload.References is { Count: > 0 } references ? references : null, Source = payload.Source,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json.Context.RunSettings);

    /// <summary>The stored settings, or null when the text is not a settings object (a row written by hand or damaged).</summary>
    public static RunSettings? TryParse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(json, Json.Context.RunSettings);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Each setting that is set, by its stored name, in the words a diff shows.</summary>
    public IReadOnlyDictionary<string, string> Describe()
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["count"] = Count.ToString(CultureInfo.InvariantCulture),
            ["format"] = Format,
        };
        if (Size is not null)
        {
            values["size"] = Size;
        }
        if (AspectRatio is not null)
        {
            values["aspectRatio"] = AspectRatio;
        }
        if (Seed is { } seed)
        {
            values["seed"] = seed.ToString(CultureInfo.InvariantCulture);
        }
        if (Background != Backgrounds.Auto)
        {
            values["background"] = Background;
        }
        if (Quality != Qualities.Auto)
        {
            values["quality"] = Quality;
        }
        if (References is { Count: > 0 } references)
        {
            values["references"] = string.Join(", ", references.Select(r => r.Describe()));
        }
        if (Source is { } source)
        {
            values["source"] = source.Describe();
        }
        return values;
    }
}
