using ImageGen.Core.Generation;
using NetVips;

namespace ImageGen.Core.Imaging;

/// <summary>
/// Brings a provider's image to what was asked for: the exact size (scaled to cover, then centre-cropped), the
/// requested format, and provenance embedded. Says what it changed, for the manifest. The answer is checked against
/// <see cref="ImageLimits"/> before it is decoded, and a truncated one fails instead of coming out partly black.
/// </summary>
public static class ImageFinisher
{
    public static (byte[] Bytes, string? Note) Finish(byte[] source, ImageSize size, string format, Provenance provenance)
    {
        Image image;
        try
        {
            image = ImageLimits.Open(source, "The model's image");
        }
        catch (ImageRejectedException e)
        {
            throw new ImageGenException(ErrorKind.Permanent, e.Message);
        }
        using (image)
        {
            try
            {
                return FinishOpened(image, size, format, provenance);
            }
            catch (VipsException e)
            {
                // The pixels are decoded as they stream through resize and encode: a cut-off file fails here, never as black.
                throw new ImageGenException(ErrorKind.Permanent, $"The model's image is incomplete or damaged ({ImageLimits.Reason(e)}).");
            }
        }
    }

    private static (byte[] Bytes, string? Note) FinishOpened(Image image, ImageSize size, string format, Provenance provenance)
    {
        var notes = new List<string>();
        var sourceFormat = ((string)image.Get("vips-loader")).Replace("load", "", StringComparison.Ordinal).Replace("_buffer", "", StringComparison.Ordinal);
        Image working = image;
        try
        {
            if (image.Width != size.Width || image.Height != size.Height)
            {
                working = image.ThumbnailImage(size.Width, height: size.Height, crop: Enums.Interesting.Centre, size: Enums.Size.Both);
                notes.Add($"resized from {image.Width}x{image.Height}");
            }
            if (ImageFormats.Parse(sourceFormat) != format)
            {
                notes.Add($"converted from {sourceFormat}");
            }
            if (format == ImageFormats.Jpeg && working.HasAlpha())
            {
                var flattened = working.Flatten(background: [255, 255, 255]);
                if (!ReferenceEquals(working, image))
                {
                    working.Dispose();
                }
                working = flattened;
            }
            return (ImageEncoder.Encode(working, format, provenance), notes.Count == 0 ? null : string.Join("; ", notes));
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
