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

    /// <summary>Brand assets and uploads (<c>assets/ab/&lt;sha256&gt;.&lt;ext&gt;</c>, written by AssetIntake).</summary>
    public string AssetsDir => System.IO.Path.Combine(Path, "assets");

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
        // Only the part under the root varies: walk it from the root's real path, found once.
        var realRoot = RealRoot;
        var parts = full[Path.Length..].Split(System.IO.Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        return Walk(realRoot, parts, 0) is { } real && IsUnder(real, realRoot) ? real : null;
    }

    /// <summary>
    /// Resolves a stored image's path (a candidate, its thumbnail or original, a final, a reference or other asset) as
    /// <see cref="ResolveRelative"/> does, and only inside the image and asset folders: a row that names the database,
    /// an export or a scratch folder's file, even by a path that stays inside the root (<c>imagegen.db</c>,
    /// <c>images/../imagegen.db</c>), gets null, so nothing that hands out or copies images can be made to hand out those.
    /// </summary>
    public string? ResolveStoredImage(string relativePath)
    {
        if (ResolveRelative(relativePath) is not { } real)
        {
            return null;
        }
        // An existing file comes back under the real root; a missing one (nothing to follow) under the root as given.
        return new[] { RealRoot, Path }.Any(root => IsUnder(real, System.IO.Path.Combine(root, "images")) || IsUnder(real, System.IO.Path.Combine(root, "assets")))
            ? real
            : null;
    }

    /// <summary>True when <paramref name="fullPath"/>, with its links resolved, is inside the real data root (for writes into existing folders).</summary>
    public bool ContainsReal(string fullPath) =>
        RealPath(System.IO.Path.GetFullPath(fullPath)) is { } real && IsUnder(real, RealRoot);

    private string? _realRoot;

    /// <summary>The root with any links in its own path resolved, kept once the folder exists.</summary>
    private string RealRoot
    {
        get
        {
            if (_realRoot is { } known)
            {
                return known;
            }
            var real = RealPath(Path) ?? Path;
            if (Directory.Exists(Path))
            {
                _realRoot = real;
            }
            return real;
        }
    }

    private static bool IsUnder(string full, string root)
    {
        var rootWithSeparator = root.EndsWith(System.IO.Path.DirectorySeparatorChar) ? root : root + System.IO.Path.DirectorySeparatorChar;
        return full.StartsWith(rootWithSeparator, StringComparison.Ordinal);
    }

    /// <summary>
    /// The path with every symbolic link along it resolved (as realpath(3) does), walking it one component at a time;
    /// components that do not exist are kept as they are. Null for a link loop.
    /// </summary>
    public static string? RealPath(string fullPath) => RealPath(fullPath, 0);

    private static string? RealPath(string fullPath, int depth)
    {
        var root = System.IO.Path.GetPathRoot(fullPath)!;
        return Walk(root, fullPath[root.Length..].Split(System.IO.Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries), depth);
    }

    /// <summary>Appends <paramref name="parts"/> to <paramref name="realBase"/> (already free of links), following each link met (one readlink a component).</summary>
    private static string? Walk(string realBase, string[] parts, int depth)
    {
        var current = realBase;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = System.IO.Path.Combine(current, parts[i]);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (depth >= 32)
                {
                    return null;
                }
                var resolved = RealPath(System.IO.Path.GetFullPath(System.IO.Path.Combine(current, target)), depth + 1);
                return resolved is null ? null : Walk(resolved, parts[(i + 1)..], depth + 1);
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
