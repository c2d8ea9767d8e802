using System.Text.Json;

namespace ImageGen.Core.Spec;

/// <summary>
/// What <c>imagegen generate --json</c> printed on stdout, read once: a manifest (whose <see cref="GenerateManifest.Error"/>
/// says why a run that stopped short did), or only an error, or nothing that can be read (<see cref="Unreadable"/> says why).
/// </summary>
public sealed record CliReport(GenerateManifest? Manifest, CliError? Error, string? Unreadable = null)
{
    /// <summary>Whether the CLI listed images: a finished run, or one that stopped part-way and kept what arrived.</summary>
    public bool HasImages => Manifest is { Images.Count: > 0 };

    public static CliReport Parse(string stdout)
    {
        if (string.IsNullOrWhiteSpace(stdout))
        {
            return new CliReport(null, null, "imagegen printed nothing on stdout.");
        }
        try
        {
            using var document = JsonDocument.Parse(stdout);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new CliReport(null, null, "imagegen's output is not a JSON object.");
            }
            if (root.TryGetProperty("images", out _))
            {
                var manifest = root.Deserialize(Json.Context.GenerateManifest) ?? throw new JsonException("The manifest is empty.");
                return new CliReport(manifest, manifest.Error);
            }
            return root.TryGetProperty("error", out var error)
                ? new CliReport(null, error.Deserialize(Json.Context.CliError))
                : new CliReport(null, null, "imagegen's output is neither a manifest nor an error.");
        }
        catch (JsonException e)
        {
            return new CliReport(null, null, $"imagegen's output is not valid JSON: {e.Message}");
        }
    }
}
