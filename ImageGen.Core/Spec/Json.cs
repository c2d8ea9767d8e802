using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageGen.Core.Spec;

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

    /// <summary>The spec's source-generated shapes (<see cref="SpecJsonContext"/>) with <see cref="Options"/>' conventions.</summary>
    public static SpecJsonContext Context { get; } = new(new JsonSerializerOptions(Options));

    /// <summary>As <see cref="Context"/>, indented.</summary>
    public static SpecJsonContext IndentedContext { get; } = new(new JsonSerializerOptions(Indented));
}

/// <summary>
/// The JSON shapes of the spec layer (the job spec, the CLI's manifest and error, a run's provider facts), serialized by
/// System.Text.Json's source generator: no reflection at run time, so the same code runs in the Native AOT
/// <c>imagegen</c> and starts faster everywhere. Each layer keeps its own context for its own shapes (Imaging's
/// provenance, the brand check's result, the providers' model list), all with <see cref="Json.Options"/>.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GenerateManifest))]
[JsonSerializable(typeof(CliErrorEnvelope))]
[JsonSerializable(typeof(JobSpec))]
[JsonSerializable(typeof(RunFacts))]
public sealed partial class SpecJsonContext : JsonSerializerContext;

/// <summary>What <c>imagegen --json</c> prints when it fails: <c>{"error": {…}}</c>.</summary>
public sealed record CliErrorEnvelope(CliError Error);
