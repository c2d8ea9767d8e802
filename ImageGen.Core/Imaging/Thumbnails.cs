using NetVips;

namespace ImageGen.Core.Imaging;

/// <summary>The small WebP images every grid shows instead of the originals.</summary>
public static class Thumbnails
{
    /// <summary>768: sharp in the gallery's ~420 px cells on a 2x screen (384 was half what a phone's screen shows; docs/BENCHMARKS.md).</summary>
    public const int LongSide = 768;
    public const int Quality = 75;

    /// <summary>libwebp's effort (0-6; libvips' default is 4). 2 encodes a 768 px thumbnail, opaque or with its lossless
    /// alpha, in about half the time for 0.3-7 % more bytes and within 0.2 dB PSNR (docs/BENCHMARKS.md, "Ingest").</summary>
    public const int Effort = 2;
    public const string Folder = "thumbs";

    /// <summary>Writes a WebP that fits <see cref="LongSide"/>² (never enlarged) and returns its path.</summary>
    /// <param name="inspect">Given the decoded thumbnail in memory after it is written, for work that needs pixels (the brand
    /// check, the alpha check), so the file is decoded once.</param>
    public static string Create(string source, string directory, Action<Image>? inspect = null)
    {
        Directory.CreateDirectory(directory);
        var destination = Path.Combine(directory, Path.GetFileNameWithoutExtension(source) + ".webp");
        using (ImageLimits.OpenFile(source, Path.GetFileName(source)))
        {
            // header checks only: the limits hold before the thumbnail decodes anything
        }
        using var thumbnail = Image.Thumbnail(source, LongSide, height: LongSide, size: Enums.Size.Down, failOn: Enums.FailOn.Truncated);
        if (inspect is null)
        {
            thumbnail.Webpsave(destination, q: Quality, effort: Effort, keep: Enums.ForeignKeep.None);
            return destination;
        }
        using var decoded = thumbnail.CopyMemory();
        decoded.Webpsave(destination, q: Quality, effort: Effort, keep: Enums.ForeignKeep.None);
        inspect(decoded);
        return destination;
    }
}
