namespace ImageGen.Core.Imaging;

/// <summary>The output formats ImageGen writes, with their file extensions and content types.</summary>
public static class ImageFormats
{
    public const string Png = "png";
    public const string Jpeg = "jpeg";
    public const string Webp = "webp";

    public static IReadOnlyList<string> All { get; } = [Png, Jpeg, Webp];

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
        _ => throw new ArgumentException($"Unknown format '{format}'.", nameof(format)),
    };

    public static string ContentType(string format) => format switch
    {
        Png => "image/png",
        Jpeg => "image/jpeg",
        Webp => "image/webp",
        _ => "application/octet-stream",
    };
}
