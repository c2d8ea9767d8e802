using System.Text.Json;
using System.Text.Json.Serialization;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Imaging;

/// <summary>Imaging's JSON shapes (provenance, <c>imagegen convert --json</c>'s report), source-generated, with <see cref="Json.Options"/>.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Provenance))]
[JsonSerializable(typeof(ConvertReport))]
public sealed partial class ImagingJsonContext : JsonSerializerContext
{
    public static ImagingJsonContext Plain { get; } = new(new JsonSerializerOptions(Json.Options));
    public static ImagingJsonContext Indented { get; } = new(new JsonSerializerOptions(Json.Indented));
}

/// <summary>What <c>imagegen convert --json</c> prints: each file converted, and each that was not with why.</summary>
public sealed record ConvertReport(IReadOnlyList<ConvertedImage> Converted, IReadOnlyList<ConvertFailure> Failed);

public sealed record ConvertFailure(string Input, string Message);
