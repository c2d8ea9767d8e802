namespace ImageGen.Core.Imaging;

/// <summary>What an image file's alpha channel really holds, read from its pixels.</summary>
public static class Alpha
{
    /// <summary>True when the file has no alpha channel, or one in which every pixel is fully opaque.</summary>
    public static bool IsOpaque(string path)
    {
        using var image = ImageLimits.OpenFile(path, Path.GetFileName(path));
        return IsOpaque(image);
    }

    /// <summary>
    /// As <see cref="IsOpaque(string)"/>, for an image already decoded. Ingest asks it of the thumbnail it has just made, so
    /// the file is not decoded a second time: a transparent area survives the shrink (a shrink averages alpha, so a
    /// thumbnail is opaque only where every pixel it averages is), only specks under a thumbnail pixel can be lost.
    /// </summary>
    public static bool IsOpaque(NetVips.Image image)
    {
        if (!image.HasAlpha())
        {
            return true;
        }
        using var alpha = image[image.Bands - 1];
        var max = image.Format is NetVips.Enums.BandFormat.Ushort ? 65535.0 : 255.0;
        return alpha.Min() >= max;
    }
}
