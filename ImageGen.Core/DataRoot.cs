using Microsoft.Extensions.Configuration;

namespace ImageGen.Core;

/// <summary>
/// The one folder both processes share: the SQLite file, the image tree, temporary work folders and exports.
/// </summary>
public sealed class DataRoot
{
    public const string ConfigKey = "ImageGen:DataDir";
    public const string EnvironmentVariable = "IMAGEGEN_DATA_DIR";

    public DataRoot(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(ExpandHome(path));
    }

    public string Path { get; }
    public string DatabasePath => System.IO.Path.Combine(Path, "imagegen.db");
    public string ImagesDir => System.IO.Path.Combine(Path, "images");
    public string TempDir => System.IO.Path.Combine(Path, "tmp");
    public string ExportsDir => System.IO.Path.Combine(Path, "exports");

    /// <summary>Resolves the data root: <c>ImageGen:DataDir</c>, else <c>IMAGEGEN_DATA_DIR</c>, else <c>~/.imagegen</c>.</summary>
    public static DataRoot FromConfiguration(IConfiguration configuration)
    {
        var configured = configuration[ConfigKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        }
        return new DataRoot(string.IsNullOrWhiteSpace(configured) ? DefaultPath() : configured);
    }

    public static string DefaultPath() =>
        System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".imagegen");

    public void EnsureCreated()
    {
        Directory.CreateDirectory(Path);
        Directory.CreateDirectory(ImagesDir);
        Directory.CreateDirectory(TempDir);
    }

    /// <summary>The run folder, <c>images/&lt;project&gt;/&lt;item&gt;/run-&lt;id&gt;</c>; slugs are validated so no path escapes the root.</summary>
    public string RunFolder(string projectSlug, string workItemSlug, long runId) =>
        System.IO.Path.Combine(ImagesDir, Slug.EnsureValid(projectSlug), Slug.EnsureValid(workItemSlug), $"run-{runId}");

    /// <summary>The path of <paramref name="fullPath"/> relative to the root, with forward slashes, as stored in the database.</summary>
    public string ToRelative(string fullPath)
    {
        var relative = System.IO.Path.GetRelativePath(Path, fullPath);
        if (relative.StartsWith("..", StringComparison.Ordinal) || System.IO.Path.IsPathRooted(relative))
        {
            throw new InvalidOperationException($"'{fullPath}' is outside the data root '{Path}'.");
        }
        return relative.Replace(System.IO.Path.DirectorySeparatorChar, '/');
    }

    /// <summary>Resolves a stored relative path; returns null when it would leave the data root.</summary>
    public string? ResolveRelative(string relativePath)
    {
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relativePath));
        var rootWithSeparator = Path.EndsWith(System.IO.Path.DirectorySeparatorChar) ? Path : Path + System.IO.Path.DirectorySeparatorChar;
        return full.StartsWith(rootWithSeparator, StringComparison.Ordinal) ? full : null;
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}
