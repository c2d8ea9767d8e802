namespace ImageGen.Core.Imaging;

/// <summary>What an image file's alpha channel really holds, read from its pixels.</summary>
public static class Alpha
{
    /// <summary>True when the file has no alpha channel, or one in which every pixel is fully opaque.</summary>
    public static bool IsOpaque(string path)
    {
        using var image = ImageLimits.OpenFile(path, Path.GetFileName(path));
        if (!image.HasAlpha())
        {
            return true;
        }
        using var alpha = image[image.Bands - 1];
        var max = image.Format is NetVips.Enums.BandFormat.Ushort ? 65535.0 : 255.0;
        return alpha.Min() >= max;
    }
}
