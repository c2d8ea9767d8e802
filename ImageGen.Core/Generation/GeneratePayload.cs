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

    public string ToJson() => JsonSerializer.Serialize(this, Json.Options);

    public static GeneratePayload FromJson(string json) =>
        JsonSerializer.Deserialize<GeneratePayload>(json, Json.Options)
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
}
