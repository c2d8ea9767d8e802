using System.Globalization;
using System.Text;
using System.Text.Json;
using ImageGen.Core.Imaging;

namespace ImageGen.Core.Spec;

/// <summary>
/// One job in one typed, versioned document: what to make (model, prompt, count, size, format, seed, background, quality,
/// the input images) and where the request came from (<see cref="Origin"/>). It is made once, from the generate form (or
/// from <c>imagegen generate</c>'s flags), stored as the job's payload, written to the file the worker hands
/// <c>imagegen generate --spec</c>, echoed in the run's manifest, and stored with the run, where every page reads it typed.
/// Older stored shapes (the payload and run settings before version 1) are read by <see cref="Parse"/> and
/// <see cref="ForRun"/> (<see cref="JobSpecUpgrade"/>).
/// </summary>
public sealed record JobSpec
{
    /// <summary>The version this build writes; a newer one is refused with a message (the job was queued by a newer ImageGen).</summary>
    public const int CurrentVersion = 1;

    /// <summary>More reference files than this are refused whatever the model: 16, the most any provider takes.</summary>
    public const int MaxReferences = 16;

    public const int MaxCount = 8;
    public const int MaxPromptLength = 32_000;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>What the job does: <see cref="JobSpecKinds.Generate"/> today.</summary>
    public string Kind { get; init; } = JobSpecKinds.Generate;

    /// <summary>The model id, <c>provider/model</c>.</summary>
    public required string Model { get; init; }

    /// <summary>The prompt the model gets, composed from the work item, its brand and any adjustment.</summary>
    public required string Prompt { get; init; }

    public int Count { get; init; } = 1;

    /// <summary><c>WIDTHxHEIGHT</c>, when asked; with <see cref="AspectRatio"/> alone the long side is 1024.</summary>
    public string? Size { get; init; }

    public string? AspectRatio { get; init; }
    public string Format { get; init; } = ImageFormats.Png;

    /// <summary>The seed of the first image; image i uses seed + i. Random when null.</summary>
    public long? Seed { get; init; }

    public string Background { get; init; } = Backgrounds.Auto;
    public string Quality { get; init; } = Qualities.Auto;

    /// <summary>The reference images, in the order they are sent.</summary>
    public IReadOnlyList<InputFile>? References { get; init; }

    /// <summary>The image to start from (image-to-image), when the model takes one.</summary>
    public InputFile? Source { get; init; }

    /// <summary>A PNG whose transparent pixels mark the part of <see cref="Source"/> to change.</summary>
    public InputFile? Mask { get; init; }

    /// <summary>Where the request came from; never sent to a model.</summary>
    public JobOrigin? Origin { get; init; }

    /// <summary>
    /// What is left of this job after earlier attempts stored <paramref name="received"/> of its images: no more than the
    /// rest are asked for, and a seed continues after the ones already made.
    /// </summary>
    public JobSpec Remaining(int received)
    {
        var count = Math.Max(1, Count - received);
        return count == Count ? this : this with { Count = count, Seed = Seed is { } seed ? seed + Count - count : null };
    }

    public string ToJson(bool indented = false) =>
        JsonSerializer.Serialize(this, indented ? Json.IndentedContext.JobSpec : Json.Context.JobSpec);

    /// <summary>A stored or written spec, of this version or an older shape.</summary>
    /// <exception cref="JsonException">It is not a spec, or it is of a newer version than this build reads.</exception>
    public static JobSpec Parse(string json) => JobSpecUpgrade.Parse(json);

    /// <summary>The spec of a job's payload, or null when it cannot be read (for labels and metrics, never for running it).</summary>
    public static JobSpec? TryParse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            return Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The spec a run was made with, from its stored settings and its <c>model</c> and <c>prompt</c> columns (older runs
    /// stored only the settings); a run whose settings cannot be read still gets its model and prompt.
    /// </summary>
    public static JobSpec ForRun(string? settingsJson, string model, string prompt) => JobSpecUpgrade.ForRun(settingsJson, model, prompt);

    /// <summary>The model a stored payload names, or "unknown" when it cannot be read (for metrics and labels).</summary>
    public static string ModelOf(string? json) => TryParse(json)?.Model ?? "unknown";

    /// <summary>Each setting that is set beyond the model and prompt, by its stored name, in the words a diff shows.</summary>
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
        if (Mask is { } mask)
        {
            values["mask"] = mask.Describe();
        }
        return values;
    }
}

/// <summary>The kinds of job a <see cref="JobSpec"/> describes.</summary>
public static class JobSpecKinds
{
    public const string Generate = "generate";
}

/// <summary>Where a job's request came from: the work item, the brand revision its prompt was composed from, and for
/// "more like this" the run it started from and the adjustment asked for.</summary>
public sealed record JobOrigin
{
    public long? WorkItemId { get; init; }
    public long? BrandRevisionId { get; init; }
    public long? ParentRunId { get; init; }
    public string? Adjustment { get; init; }
}
