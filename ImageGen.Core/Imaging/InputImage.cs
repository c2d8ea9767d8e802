using System.Security.Cryptography;
using ImageGen.Core.Generation;
using NetVips;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Imaging;

/// <summary>
/// An image given to a model: a brand asset or a work item's upload as a reference, a candidate as the source of
/// "more like this", or a mask. <see cref="Sha256"/> is the hash of the file as it was given (what provenance names);
/// <see cref="Bytes"/> is what is sent, which is the same file unless it was larger than <see cref="MaxSentSide"/>.
/// </summary>
public sealed record InputImage(string Name, byte[] Bytes, string Format, int Width, int Height, string Sha256, bool HasAlpha, string? Note = null)
{
    /// <summary>Inputs are sent at most this long a side: enough for any model's reference, and keeps requests small.</summary>
    public const int MaxSentSide = 2048;

    public string ContentType => ImageFormats.ContentType(Format);

    /// <summary>The file's own size when <see cref="Bytes"/> is a smaller copy of it; null when the file is sent as it is.</summary>
    public ImageSize? FileSize { get; init; }

    /// <summary>
    /// This image within <paramref name="maxPixels"/> (a model that reads no more: <see cref="ModelCapabilities.MaxInputPixels"/>),
    /// re-encoded as the 2048 px copy is (PNG with alpha, else JPEG), with a note; itself when it already fits.
    /// </summary>
    public InputImage ShrunkTo(int maxPixels)
    {
        if ((long)Width * Height <= maxPixels)
        {
            return this;
        }
        var scale = Math.Sqrt((double)maxPixels / ((long)Width * Height));
        var (width, height) = (Math.Max(1, (int)(Width * scale)), Math.Max(1, (int)(Height * scale)));
        using var smaller = Image.ThumbnailBuffer(Bytes, width, height: height, size: Enums.Size.Down);
        var (bytes, format) = Encode(smaller, HasAlpha);
        var file = FileSize ?? new ImageSize(Width, Height);
        return this with
        {
            Bytes = bytes, Format = format, Width = smaller.Width, Height = smaller.Height, FileSize = file,
            Note = $"sent at {smaller.Width}x{smaller.Height}, the {maxPixels / 1_000_000.0:0.#} MP the model reads (the file is {file})",
        };
    }

    private static (byte[] Bytes, string Format) Encode(Image image, bool hasAlpha) => hasAlpha
        ? (image.PngsaveBuffer(compression: 6), ImageFormats.Png)
        : (image.JpegsaveBuffer(q: 92, keep: Enums.ForeignKeep.None), ImageFormats.Jpeg);

    /// <summary>
    /// Reads an input image from a file: its real type from its bytes (PNG, JPEG or WebP only), its size within
    /// <see cref="InputLimits"/>, every pixel decoded once so a cut-off file is refused here rather than by a provider.
    /// </summary>
    /// <exception cref="ImageGenException">A usage error naming <paramref name="what"/> and what is wrong.</exception>
    public static InputImage Load(string path, string what)
    {
        byte[] bytes;
        try
        {
            InputLimits.CheckLength(new FileInfo(path).Length, what);
            bytes = File.ReadAllBytes(path);
        }
        catch (ImageRejectedException e)
        {
            throw ImageGenException.Usage(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ImageGenException.Usage($"Cannot read {what}: {e.Message}");
        }
        return FromBytes(bytes, Path.GetFileName(path), what);
    }

    /// <inheritdoc cref="Load"/>
    public static InputImage FromBytes(byte[] bytes, string name, string what)
    {
        try
        {
            var format = InputLimits.Check(bytes, what);
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
            using var image = ImageLimits.Open(bytes, what);
            var hasAlpha = image.HasAlpha();
            var (width, height) = (image.Width, image.Height);
            if (Math.Max(width, height) <= MaxSentSide)
            {
                // Decode every pixel now: a truncated file fails here with a sentence.
                _ = image.Avg();
                return new InputImage(name, bytes, format, width, height, sha256, hasAlpha);
            }
            using var smaller = Image.ThumbnailBuffer(bytes, MaxSentSide, height: MaxSentSide, size: Enums.Size.Down, failOn: Enums.FailOn.Truncated);
            var (sent, sentFormat) = Encode(smaller, hasAlpha);
            return new InputImage(name, sent, sentFormat, smaller.Width, smaller.Height, sha256, hasAlpha,
                $"sent at {smaller.Width}x{smaller.Height} (the file is {width}x{height})") { FileSize = new ImageSize(width, height) };
        }
        catch (ImageRejectedException e)
        {
            throw ImageGenException.Usage(e.Message);
        }
        catch (VipsException e)
        {
            throw ImageGenException.Usage($"{what} is incomplete or damaged ({ImageLimits.Reason(e)}).");
        }
    }
}

/// <summary>Limits on images given to a model or uploaded as assets, on top of <see cref="ImageLimits"/>.</summary>
public static class InputLimits
{
    /// <summary>An input or uploaded image larger than this is refused: 20 MiB (a provider's whole request is ~20 MB for Gemini).</summary>
    public const long MaxBytes = 20L * 1024 * 1024;

    public static string Describe => $"PNG, JPEG or WebP, up to {MaxBytes / (1024 * 1024)} MiB and {ImageLimits.MaxPixels / 1_000_000} megapixels";

    /// <summary>Refuses an input of more than <see cref="MaxBytes"/>, before it is read.</summary>
    /// <exception cref="ImageRejectedException">Naming <paramref name="what"/>, its size and the limit.</exception>
    public static void CheckLength(long length, string what)
    {
        if (length > MaxBytes)
        {
            throw new ImageRejectedException($"{what} is {length / (1024.0 * 1024):0.#} MiB; the limit is {MaxBytes / (1024 * 1024)} MiB.");
        }
    }

    /// <summary>The checks on an input's bytes before any decoding: its length, then its real type.</summary>
    /// <returns>png, jpeg or webp.</returns>
    /// <exception cref="ImageRejectedException">Naming <paramref name="what"/> and what it is instead.</exception>
    public static string Check(byte[] bytes, string what)
    {
        CheckLength(bytes.LongLength, what);
        return ImageSniffer.FormatOf(bytes)
            ?? throw new ImageRejectedException($"{what} is {ImageSniffer.Describe(bytes)}, not a PNG, JPEG or WebP image.");
    }
}

/// <summary>The type of an image from its first bytes, never from its name.</summary>
public static class ImageSniffer
{
    /// <summary>png, jpeg or webp from the file's signature; null for anything else.</summary>
    public static string? FormatOf(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ImageFormats.Png;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return ImageFormats.Jpeg;
        }
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return ImageFormats.Webp;
        }
        return null;
    }

    /// <summary>What a file that is not one of ours looks like, for the message that refuses it.</summary>
    public static string Describe(ReadOnlySpan<byte> head)
    {
        if (head.Length == 0)
        {
            return "empty";
        }
        if (head.StartsWith("GIF8"u8))
        {
            return "a GIF image";
        }
        if (head.StartsWith("%PDF"u8))
        {
            return "a PDF document";
        }
        if (head.StartsWith("BM"u8))
        {
            return "a BMP image";
        }
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            return "an HEIF/AVIF or video file";
        }
        if (head.StartsWith("<svg"u8) || head.StartsWith("<?xml"u8))
        {
            return "an SVG/XML document";
        }
        var sample = head[..Math.Min(head.Length, 512)];
        var printable = sample.ToArray().Count(b => b is (>= 0x20 and < 0x7F) or (byte)'\n' or (byte)'\r' or (byte)'\t');
        return printable == sample.Length ? "a text file" : "an unknown kind of file";
    }
}
