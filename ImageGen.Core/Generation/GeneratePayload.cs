using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageGen.Core.Generation;

/// <summary>
/// The snapshot stored with a generate job: everything needed to run it again, independent of later edits
/// to the work item or its brand.
/// </summary>
public sealed record GeneratePayload
{
    public long? WorkItemId { get; init; }
    public required string Model { get; init; }
    public required string ComposedPrompt { get; init; }
    public int Count { get; init; } = 1;
    public string? Size { get; init; }
    public string? AspectRatio { get; init; }
    public string Format { get; init; } = "png";
    public long? Seed { get; init; }
    public string? Adjustment { get; init; }
    public long? ParentRunId { get; init; }
    public long? BrandRevisionId { get; init; }

    /// <summary>The reference images, snapshotted when the job was queued: each file's place and hash.</summary>
    public IReadOnlyList<InputFile>? References { get; init; }

    /// <summary>The candidate "more like this" starts from, when the model takes a source image.</summary>
    public InputFile? Source { get; init; }

    public string Background { get; init; } = Backgrounds.Auto;
    public string Quality { get; init; } = Qualities.Auto;

    public string ToJson() => JsonSerializer.Serialize(this, Json.Context.GeneratePayload);

    public static GeneratePayload FromJson(string json) =>
        JsonSerializer.Deserialize(json, Json.Context.GeneratePayload)
        ?? throw new JsonException("The job payload is empty.");

    /// <summary>The model a stored payload names, or "unknown" when it cannot be read (for metrics and labels).</summary>
    public static string ModelOf(string? json)
    {
        try
        {
            return json is null ? "unknown" : FromJson(json).Model;
        }
        catch (JsonException)
        {
            return "unknown";
        }
    }
}

/// <summary>
/// A file a job sends to the model: its place under the data folder (content-addressed for assets, the run folder for a
/// candidate), its SHA-256 when queued (the worker refuses a file that no longer matches), its format and a label.
/// </summary>
public sealed record InputFile(string Path, string Sha256, string Format, string Name)
{
    /// <summary>The brand asset or upload it is, for a reference.</summary>
    public long? AssetId { get; init; }

    /// <summary>The candidate it is, for a source image.</summary>
    public long? ImageId { get; init; }

    /// <summary>logo, style, product or other, for a reference.</summary>
    public string? Role { get; init; }

    /// <summary>How a page or a diff names it: "logo.png (logo, 4d10e58b)" or "image #12 (4d10e58b)".</summary>
    public string Describe() =>
        ImageId is { } image ? $"image #{image} ({Sha256[..Math.Min(8, Sha256.Length)]})"
        : $"{Name} ({(Role is null ? "" : Role + ", ")}{Sha256[..Math.Min(8, Sha256.Length)]})";
}

/// <summary>JSON conventions shared by payloads, manifests and sidecars: camelCase, nulls omitted.</summary>
public static class Json
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Output goes to terminals, files and the database, never raw into HTML: keep prompts readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };

    /// <summary>The source-generated shapes (<see cref="CoreJsonContext"/>) with <see cref="Options"/>' conventions.</summary>
    public static CoreJsonContext Context { get; } = new(new JsonSerializerOptions(Options));

    /// <summary>As <see cref="Context"/>, indented.</summary>
    public static CoreJsonContext IndentedContext { get; } = new(new JsonSerializerOptions(Indented));
}
