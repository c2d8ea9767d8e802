namespace ImageGen.Core.Spec;

/// <summary>
/// A file a job sends to the model: its place (under the data folder in a stored spec: content-addressed for assets, the
/// run folder for a candidate; a local path in the spec the worker hands the CLI), its SHA-256 when the job was queued (the
/// worker and the CLI refuse a file that no longer matches), its format and a label.
/// </summary>
public sealed record InputFile(string Path, string Sha256, string Format, string Name)
{
    /// <summary>The brand asset or upload it is, for a reference.</summary>
    public long? AssetId { get; init; }

    /// <summary>The candidate it is, for a source image.</summary>
    public long? ImageId { get; init; }

    /// <summary>logo, style, product or other, for a reference.</summary>
    public string? Role { get; init; }

    /// <summary>Whether the file is pinned to a hash: a file named on the command line is not until it is read.</summary>
    public bool Pinned => Sha256.Length > 0;

    /// <summary>A file named on <c>imagegen generate</c>'s command line: its hash and format are read when it is loaded.</summary>
    public static InputFile Unpinned(string path) => new(path, "", "", System.IO.Path.GetFileName(path));

    /// <summary>How a page or a diff names it: "logo.png (logo, 4d10e58b)" or "image #12 (4d10e58b)".</summary>
    public string Describe() =>
        ImageId is { } image ? $"image #{image} ({Short})"
        : $"{Name} ({(Role is null ? "" : Role + ", ")}{Short})";

    private string Short => Pinned ? Sha256[..Math.Min(8, Sha256.Length)] : "not hashed";
}
