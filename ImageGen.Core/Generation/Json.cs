using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageGen.Core.Generation;

/// <summary>JSON conventions shared by specs, manifests and sidecars: camelCase, nulls omitted.</summary>
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
