using System.Text.Json;
using System.Text.Json.Serialization;
using ImageGen.Core.Spec;

namespace ImageGen.Core.BrandCheck;

/// <summary>The brand check's JSON shape (<c>run_images.brand_json</c>), source-generated, with <see cref="Json.Options"/>.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BrandCheckResult))]
public sealed partial class BrandCheckJsonContext : JsonSerializerContext
{
    public static BrandCheckJsonContext Plain { get; } = new(new JsonSerializerOptions(Json.Options));
}
