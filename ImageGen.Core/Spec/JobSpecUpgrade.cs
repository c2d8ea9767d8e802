using System.Text.Json;
using System.Text.Json.Serialization;
using ImageGen.Core.Imaging;

namespace ImageGen.Core.Spec;

/// <summary>
/// Reads every stored shape of a <see cref="JobSpec"/> in one deserialization: version 1, and the two shapes before it that
/// databases still hold (a job's payload with <c>composedPrompt</c> and its origin at the top level, and a run's
/// <c>settings_json</c>, which had neither model nor prompt). A job queued by an older build still runs; a spec of a newer
/// version than this build knows is refused rather than half-read.
/// </summary>
internal static class JobSpecUpgrade
{
    public static JobSpec Parse(string json)
    {
        var stored = Read(json);
        return Build(stored, stored.Model, stored.Prompt ?? stored.ComposedPrompt);
    }

    public static JobSpec ForRun(string? settingsJson, string model, string prompt)
    {
        StoredJobSpec stored;
        try
        {
            stored = string.IsNullOrWhiteSpace(settingsJson) ? new StoredJobSpec() : Read(settingsJson);
        }
        catch (JsonException)
        {
            // A row written by hand or damaged: the run still shows what its columns say.
            stored = new StoredJobSpec();
        }
        return Build(stored, stored.Model ?? model, stored.Prompt ?? prompt);
    }

    private static StoredJobSpec Read(string json)
    {
        var stored = JsonSerializer.Deserialize(json, StoredJobSpecContext.Default.StoredJobSpec) ?? throw new JsonException("The job spec is empty.");
        if (stored.Version > JobSpec.CurrentVersion)
        {
            throw new JsonException($"The job spec is version {stored.Version}; this ImageGen reads versions up to {JobSpec.CurrentVersion}. Update ImageGen to run it.");
        }
        return stored;
    }

    private static JobSpec Build(StoredJobSpec stored, string? model, string? prompt)
    {
        var legacyOrigin = stored.WorkItemId is not null || stored.BrandRevisionId is not null || stored.ParentRunId is not null || stored.Adjustment is not null;
        var origin = stored.Origin ?? (legacyOrigin
            ? new JobOrigin { WorkItemId = stored.WorkItemId, BrandRevisionId = stored.BrandRevisionId, ParentRunId = stored.ParentRunId, Adjustment = stored.Adjustment }
            : null);
        return new JobSpec
        {
            Kind = stored.Kind ?? JobSpecKinds.Generate,
            Model = model ?? throw new JsonException("The job spec names no model."),
            Prompt = prompt ?? throw new JsonException("The job spec has no prompt."),
            Count = stored.Count ?? 1,
            Size = stored.Size,
            AspectRatio = stored.AspectRatio,
            Format = stored.Format ?? ImageFormats.Png,
            Seed = stored.Seed,
            Background = stored.Background ?? Backgrounds.Auto,
            Quality = stored.Quality ?? Qualities.Auto,
            References = stored.References is { Count: > 0 } references ? references : null,
            Source = stored.Source,
            Mask = stored.Mask,
            Origin = origin,
        };
    }
}

/// <summary>Every field any stored version of a <see cref="JobSpec"/> has had; read by <see cref="JobSpecUpgrade"/> only.</summary>
internal sealed record StoredJobSpec
{
    public int Version { get; init; }
    public string? Kind { get; init; }
    public string? Model { get; init; }
    public string? Prompt { get; init; }
    public int? Count { get; init; }
    public string? Size { get; init; }
    public string? AspectRatio { get; init; }
    public string? Format { get; init; }
    public long? Seed { get; init; }
    public string? Background { get; init; }
    public string? Quality { get; init; }
    public IReadOnlyList<InputFile>? References { get; init; }
    public InputFile? Source { get; init; }
    public InputFile? Mask { get; init; }
    public JobOrigin? Origin { get; init; }

    // Before version 1: the payload's prompt and origin fields at the top level.
    public string? ComposedPrompt { get; init; }
    public long? WorkItemId { get; init; }
    public long? BrandRevisionId { get; init; }
    public long? ParentRunId { get; init; }
    public string? Adjustment { get; init; }
}

/// <summary>The reader's own source-generated shape, with <see cref="Json.Options"/>' conventions (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StoredJobSpec))]
internal sealed partial class StoredJobSpecContext : JsonSerializerContext;
