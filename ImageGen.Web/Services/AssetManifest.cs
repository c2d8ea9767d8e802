using System.Text.Json;

namespace ImageGen.Web.Services;

/// <summary>
/// Maps a front-end entry ("main.js", "main.css") to its hashed URL under <c>/static/dist/</c>, from the
/// <c>manifest.json</c> that the esbuild step writes. Read once at start: a new build means a new process.
/// </summary>
public sealed class AssetManifest
{
    public const string DistPath = "/static/dist";
    private readonly Dictionary<string, string> _entries;

    public AssetManifest(IWebHostEnvironment environment)
    {
        var file = environment.WebRootFileProvider.GetFileInfo($"{DistPath}/manifest.json");
        if (!file.Exists)
        {
            throw new InvalidOperationException(
                $"The front-end build output is missing ({DistPath}/manifest.json under wwwroot). Build ImageGen.Web: its MSBuild target runs npm ci and the esbuild build.");
        }
        using var stream = file.CreateReadStream();
        _entries = JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
    }

    public string Url(string entry) =>
        _entries.TryGetValue(entry, out var file) ? $"{DistPath}/{file}" : throw new KeyNotFoundException($"'{entry}' is not in the asset manifest.");
}
