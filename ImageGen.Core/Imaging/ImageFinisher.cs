using ImageGen.Core.Generation;
using NetVips;

namespace ImageGen.Core.Imaging;

/// <summary>
/// Brings a provider's image to what was asked for: the exact size (scaled to cover, then centre-cropped), the
/// requested format, and provenance embedded. Says what it changed, for the manifest.
/// </summary>
public static class ImageFinisher
{
    public static (byte[] Bytes, string? Note) Finish(byte[] source, ImageSize size, string format, Provenance provenance)
    {
        Image image;
        try
        {
            image = Image.NewFromBuffer(source);
        }
        catch (VipsException e)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"The model returned data that is not a readable image: {e.Message.Split('\n')[0]}");
        }
        using (image)
        {
            var notes = new List<string>();
            var sourceFormat = ((string)image.Get("vips-loader")).Replace("load", "", StringComparison.Ordinal).Replace("_buffer", "", StringComparison.Ordinal);
            Image working = image;
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
            try
            {
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
}
