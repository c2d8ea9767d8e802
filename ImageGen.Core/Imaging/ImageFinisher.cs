using ImageGen.Core.Generation;
using NetVips;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Imaging;

/// <summary>A provider's image made ready to store.</summary>
/// <param name="Bytes">What is stored as the candidate.</param>
/// <param name="Note">What was done, in words, for the manifest.</param>
/// <param name="Original">The provider's own file when <see cref="Bytes"/> is a conversion of it (kept beside it); null when the candidate is the provider's file itself.</param>
/// <param name="OriginalFormat">The format of <see cref="Original"/>.</param>
public sealed record FinishedImage(byte[] Bytes, string? Note, byte[]? Original = null, string? OriginalFormat = null)
{
    public bool KeptAsSent => Original is null;
}

/// <summary>
/// Brings a provider's image to what was asked for. When it already is (the exact size and format), its bytes are
/// stored as they came, so a C2PA manifest (Content Credentials) signed over them stays valid, and our provenance goes
/// to the run's sidecar only. Otherwise it is resized (scaled to cover, then centre-cropped) and converted, with
/// provenance embedded, and the provider's own file is kept beside the result. The answer is checked against
/// <see cref="ImageLimits"/> before it is decoded, and every pixel is decoded once, so a truncated file fails instead
/// of coming out partly black.
/// </summary>
public static class ImageFinisher
{
    public static FinishedImage Finish(byte[] source, ImageSize size, string format, Provenance provenance, int pngCompression = ImageEncoder.DefaultPngCompression)
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
                return FinishOpened(source, image, size, format, provenance, pngCompression);
            }
            catch (VipsException e)
            {
                // The pixels are decoded as they stream through resize and encode: a cut-off file fails here, never as black.
                throw new ImageGenException(ErrorKind.Permanent, $"The model's image is incomplete or damaged ({ImageLimits.Reason(e)}).");
            }
        }
    }

    private static FinishedImage FinishOpened(byte[] source, Image image, ImageSize size, string format, Provenance provenance, int pngCompression)
    {
        var loader = ((string)image.Get("vips-loader")).Replace("load", "", StringComparison.Ordinal).Replace("_buffer", "", StringComparison.Ordinal);
        var sourceFormat = ImageFormats.Parse(loader);
        var sameSize = image.Width == size.Width && image.Height == size.Height;
        if (sameSize && sourceFormat == format)
        {
            // Decode every pixel once (the stats pass), so a truncated file is refused here as it would be when converting.
            using var _ = image.Stats();
            return new FinishedImage(source, ContentCredentials.IsPresent(source)
                ? "stored as the provider sent it, with its Content Credentials (C2PA)"
                : "stored as the provider sent it");
        }

        var notes = new List<string>();
        Image working = image;
        try
        {
            if (!sameSize)
            {
                working = image.ThumbnailImage(size.Width, height: size.Height, crop: Enums.Interesting.Centre, size: Enums.Size.Both);
                notes.Add($"resized from {image.Width}x{image.Height}");
            }
            if (sourceFormat != format)
            {
                notes.Add($"converted from {loader}");
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
            var bytes = ImageEncoder.Encode(working, format, provenance, pngCompression: pngCompression);
            // A provider file in a format the store does not serve (GIF, TIFF…) is converted and not kept beside it.
            if (sourceFormat is null)
            {
                return new FinishedImage(bytes, string.Join("; ", notes));
            }
            notes.Add("the provider's file is kept beside it");
            return new FinishedImage(bytes, string.Join("; ", notes), source, sourceFormat);
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
