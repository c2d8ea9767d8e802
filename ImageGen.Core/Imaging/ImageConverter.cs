using ImageGen.Core.Generation;
using NetVips;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Imaging;

/// <summary>One converted file.</summary>
public sealed record ConvertedImage(string Input, string Path, string Format, int Width, int Height, long Bytes);

/// <summary>
/// <c>imagegen convert</c>: re-encodes a file to png, jpeg or webp, optionally shrinking it to fit a box, keeping the
/// metadata libvips carries over (XMP, and PNG text chunks when the output is PNG). libvips' thumbnail path
/// decodes at reduced size where the format allows (shrink-on-load), which is what makes large inputs cheap.
/// </summary>
public static class ImageConverter
{
    public const int MinQuality = 1;
    public const int MaxQuality = 100;
    public const int MaxBox = 16_384;

    public static ConvertedImage Convert(string input, string outputDirectory, string format, int? quality, int? maxSize)
    {
        if (!File.Exists(input))
        {
            throw ImageGenException.Usage($"'{input}' does not exist.");
        }
        Image image;
        try
        {
            // Size and declared dimensions first, from the header: a decompression bomb fails here, at once.
            image = ImageLimits.OpenFile(input, $"'{input}'");
            if (maxSize is { } box)
            {
                // Shrink-on-load needs libvips' thumbnail from the file itself; the header check above still stands.
                image.Dispose();
                image = Image.Thumbnail(input, box, height: box, size: Enums.Size.Down, failOn: Enums.FailOn.Truncated);
            }
        }
        catch (ImageRejectedException e)
        {
            throw ImageGenException.Usage(e.Message);
        }
        catch (VipsException e)
        {
            throw ImageGenException.Usage($"'{input}' is not a readable image ({ImageLimits.Reason(e)}).");
        }
        using (image)
        {
            Image working = image;
            if (format == ImageFormats.Jpeg && image.HasAlpha())
            {
                working = image.Flatten(background: [255, 255, 255]);
            }
            try
            {
                byte[] bytes;
                try
                {
                    bytes = ImageEncoder.Encode(working, format, provenance: null, quality);
                }
                catch (VipsException e)
                {
                    throw ImageGenException.Usage($"'{input}' could not be converted to {format}: it is incomplete or damaged ({ImageLimits.Reason(e)}).");
                }
                Directory.CreateDirectory(outputDirectory);
                var output = System.IO.Path.Combine(outputDirectory, $"{System.IO.Path.GetFileNameWithoutExtension(input)}.{ImageFormats.Extension(format)}");
                File.WriteAllBytes(output, bytes);
                return new ConvertedImage(input, output, format, working.Width, working.Height, bytes.LongLength);
            }
            finally
            {
                if (!ReferenceEquals(working, image))
                {
                    working.Dispose();
                }
            }
        }
    }
}
