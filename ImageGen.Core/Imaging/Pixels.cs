using NetVips;

namespace ImageGen.Core.Imaging;

/// <summary>Decoded pixels as plain bytes, for the arithmetic libvips has no operation for.</summary>
public static class Pixels
{
    /// <summary>The image as packed 8-bit sRGB with alpha (4 bytes a pixel, row-major); an image without alpha gets 255.</summary>
    public static byte[] Rgba(Image image)
    {
        using var srgb = image.Interpretation == Enums.Interpretation.Srgb ? image.Copy() : image.Colourspace(Enums.Interpretation.Srgb);
        using var withAlpha = srgb.HasAlpha() ? srgb.Copy() : srgb.Bandjoin(255);
        using var bytes = withAlpha.Cast(Enums.BandFormat.Uchar);
        return bytes.WriteToMemory<byte>();
    }
}
