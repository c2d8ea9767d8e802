using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageGen.Core.BrandCheck;

/// <summary>
/// A <see cref="BrandVerdict"/> in JSON as its stored word (<see cref="BrandVerdicts.ToText"/>), so <c>brand_json</c> and the
/// export's <c>metadata.json</c> read as they did when verdicts were strings. Used by the source-generated context too.
/// </summary>
public sealed class BrandVerdictJsonConverter : JsonConverter<BrandVerdict>
{
    public override BrandVerdict Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && BrandVerdicts.TryParse(reader.GetString(), out var verdict)
            ? verdict
            : throw new JsonException("A brand verdict is one of pass, warn, fail, unchecked or info.");

    public override void Write(Utf8JsonWriter writer, BrandVerdict value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToText());
}
