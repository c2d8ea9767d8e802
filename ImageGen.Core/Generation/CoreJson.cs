using System.Text.Json;
using System.Text.Json.Serialization;
using ImageGen.Core.BrandCheck;
using ImageGen.Core.Imaging;

namespace ImageGen.Core.Generation;

/// <summary>
/// The JSON shapes the CLI, the worker and the stores read and write, serialized by System.Text.Json's source
/// generator: no reflection at run time, so the same code runs in the Native AOT <c>imagegen</c> (where reflection-based
/// serialization is off) and starts faster everywhere. A type written or read as JSON belongs here.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GenerateManifest))]
[JsonSerializable(typeof(CliErrorEnvelope))]
[JsonSerializable(typeof(JobSpec))]
[JsonSerializable(typeof(RunFacts))]
[JsonSerializable(typeof(Provenance))]
[JsonSerializable(typeof(BrandCheckResult))]
[JsonSerializable(typeof(IReadOnlyList<ModelInfo>))]
[JsonSerializable(typeof(ConvertReport))]
public sealed partial class CoreJsonContext : JsonSerializerContext;

/// <summary>What <c>imagegen --json</c> prints when it fails: <c>{"error": {…}}</c>.</summary>
public sealed record CliErrorEnvelope(CliError Error);

/// <summary>What <c>imagegen convert --json</c> prints: each file converted, and each that was not with why.</summary>
public sealed record ConvertReport(IReadOnlyList<ConvertedImage> Converted, IReadOnlyList<ConvertFailure> Failed);

public sealed record ConvertFailure(string Input, string Message);
