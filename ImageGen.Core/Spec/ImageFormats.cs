namespace ImageGen.Core.Spec;

/// <summary>The output formats ImageGen writes, with their file extensions and content types.</summary>
public static class ImageFormats
{
    public const string Png = "png";
    public const string Jpeg = "jpeg";
    public const string Webp = "webp";

    /// <summary>AVIF (AV1 in HEIF), which the bundled libvips encodes: a target of <c>imagegen convert</c> only.</summary>
    public const string Avif = "avif";

    /// <summary>What models are asked to produce.</summary>
    public static IReadOnlyList<string> All { get; } = [Png, Jpeg, Webp];

    /// <summary>What <c>imagegen convert</c> writes.</summary>
    public static IReadOnlyList<string> ConvertTargets { get; } = [Png, Jpeg, Webp, Avif];

    /// <summary>Normalizes user input ("JPG", "jpeg", "webp") to a known format, or null.</summary>
    public static string? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "png" => Png,
        "jpg" or "jpeg" => Jpeg,
        "webp" => Webp,
        _ => null,
    };

    public static string Extension(string format) => format switch
    {
        Png => "png",
        Jpeg => "jpg",
        Webp => "webp",
        Avif => "avif",
        _ => throw new ArgumentException($"Unknown format '{format}'.", nameof(format)),
    };

    public static string ContentType(string format) => format switch
    {
        Png => "image/png",
        Jpeg => "image/jpeg",
        Webp => "image/webp",
        Avif => "image/avif",
        _ => "application/octet-stream",
    };
}
