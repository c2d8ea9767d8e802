using NetVips;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Imaging;

/// <summary>
/// Encodes pixels to PNG, JPEG or WebP with libvips (through NetVips), embedding provenance: PNG text chunks
/// (<c>imagegen</c> JSON and an AUTOMATIC1111 <c>parameters</c> chunk) plus XMP, and XMP for JPEG and WebP.
/// Why libvips: docs/IMAGING.md.
/// </summary>
public static class ImageEncoder
{
    public const int DefaultJpegQuality = 90;
    public const int DefaultWebpQuality = 85;
    public const int DefaultAvifQuality = 60;

    /// <summary>
    /// zlib's level for the PNGs the CLI writes (<c>IMAGEGEN_PNG_COMPRESSION</c>, 0–9). Measured on an offline 1024×1024
    /// image (BENCHMARKS.md, "PNG compression level"): 4 encodes in 25.0 ms at 537 KB, 6 in 30.5 ms at 518 KB, 9 in 61 ms
    /// at 520 KB, 1 in 12 ms at 1.18 MB: 4 is where time stops buying size.
    /// </summary>
    public const int DefaultPngCompression = 4;

    /// <summary>Encodes packed RGB bytes (3 per pixel).</summary>
    public static byte[] EncodeRgb(byte[] rgb, int width, int height, string format, Provenance? provenance, int? quality = null) =>
        EncodePixels(rgb, width, height, 3, format, provenance, quality);

    /// <summary>Encodes packed RGB (3 bands) or RGBA (4 bands, straight alpha) bytes.</summary>
    public static byte[] EncodePixels(byte[] pixels, int width, int height, int bands, string format, Provenance? provenance, int? quality = null,
        int pngCompression = DefaultPngCompression)
    {
        using var image = Image.NewFromMemory(pixels, width, height, bands, Enums.BandFormat.Uchar);
        if (bands == 4 && format == ImageFormats.Jpeg)
        {
            using var flattened = image.Flatten(background: [255, 255, 255]);
            return Encode(flattened, format, provenance, quality);
        }
        return Encode(image, format, provenance, quality, pngCompression);
    }

    public static byte[] Encode(Image image, string format, Provenance? provenance, int? quality = null, int pngCompression = DefaultPngCompression)
    {
        using var tagged = provenance is null ? image.Copy() : image.Mutate(m =>
        {
            m.Set(GValue.BlobType, "xmp-data", provenance.ToXmp());
            if (format == ImageFormats.Png)
            {
                m.Set(GValue.GStrType, "png-comment-0-parameters", provenance.ToA1111Parameters());
                m.Set(GValue.GStrType, "png-comment-1-imagegen", provenance.ToJson());
            }
        });
        return format switch
        {
            // For PNG, quality is not a thing: the level is (DefaultPngCompression says why 4).
            ImageFormats.Png => tagged.PngsaveBuffer(compression: Math.Clamp(pngCompression, 0, 9)),
            ImageFormats.Jpeg => tagged.JpegsaveBuffer(q: quality ?? DefaultJpegQuality, optimizeCoding: true),
            ImageFormats.Webp => tagged.WebpsaveBuffer(q: quality ?? DefaultWebpQuality),
            ImageFormats.Avif => tagged.HeifsaveBuffer(q: quality ?? DefaultAvifQuality, compression: Enums.ForeignHeifCompression.Av1),
            _ => throw new ArgumentException($"Unknown format '{format}'.", nameof(format)),
        };
    }

    /// <summary>
    /// Reads the format (png, jpeg, webp) and size of an encoded image from its header, refusing files beyond
    /// <see cref="ImageLimits"/> (<see cref="ImageRejectedException"/>).
    /// </summary>
    public static (string Format, int Width, int Height) Probe(string path)
    {
        using var image = ImageLimits.OpenFile(path, Path.GetFileName(path));
        var loader = (string)image.Get("vips-loader");
        var format = loader switch
        {
            "pngload" => ImageFormats.Png,
            "jpegload" => ImageFormats.Jpeg,
            "webpload" => ImageFormats.Webp,
            "heifload" => ImageFormats.Avif,
            _ => loader.Replace("load", "", StringComparison.Ordinal),
        };
        return (format, image.Width, image.Height);
    }
}
