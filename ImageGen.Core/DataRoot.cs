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

    /// <summary>
    /// Resolves a stored relative path for reading; null when it would leave the data root, by its text (<c>..</c>) or
    /// through a symbolic link anywhere along it. An existing path comes back as its real path, with every link
    /// resolved, so what is served or copied is the file that was checked.
    /// </summary>
    public string? ResolveRelative(string relativePath)
    {
        if (relativePath.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relativePath));
        if (!IsUnder(full, Path))
        {
            return null;
        }
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            return full; // nothing there to follow: the caller finds nothing
        }
        return RealPath(full) is { } real && IsUnder(real, RealPath(Path) ?? Path) ? real : null;
    }

    /// <summary>True when <paramref name="fullPath"/>, with its links resolved, is inside the real data root (for writes into existing folders).</summary>
    public bool ContainsReal(string fullPath) =>
        RealPath(System.IO.Path.GetFullPath(fullPath)) is { } real && IsUnder(real, RealPath(Path) ?? Path);

    private static bool IsUnder(string full, string root)
    {
        var rootWithSeparator = root.EndsWith(System.IO.Path.DirectorySeparatorChar) ? root : root + System.IO.Path.DirectorySeparatorChar;
        return full.StartsWith(rootWithSeparator, StringComparison.Ordinal);
    }

    /// <summary>
    /// The path with every symbolic link along it resolved (as realpath(3) does), walking it one component at a time;
    /// components that do not exist are kept as they are. Null for a link loop.
    /// </summary>
    public static string? RealPath(string fullPath, int depth = 0)
    {
        if (depth > 32)
        {
            return null;
        }
        var root = System.IO.Path.GetPathRoot(fullPath)!;
        var current = root;
        var parts = fullPath[root.Length..].Split(System.IO.Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = System.IO.Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is { } target)
            {
                var resolved = System.IO.Path.GetFullPath(System.IO.Path.Combine(current, target));
                var rest = string.Join(System.IO.Path.DirectorySeparatorChar, parts[(i + 1)..]);
                return RealPath(rest.Length == 0 ? resolved : System.IO.Path.Combine(resolved, rest), depth + 1);
            }
            current = next;
        }
        return current;
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}
