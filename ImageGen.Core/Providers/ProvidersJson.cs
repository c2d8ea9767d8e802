using System.Text.Json;
using System.Text.Json.Serialization;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Providers;

/// <summary>The providers' JSON shape (<c>imagegen models --json</c>), source-generated, with <see cref="Json.Options"/>.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<ModelInfo>))]
public sealed partial class ProvidersJsonContext : JsonSerializerContext
{
    public static ProvidersJsonContext Indented { get; } = new(new JsonSerializerOptions(Json.Indented));
}
