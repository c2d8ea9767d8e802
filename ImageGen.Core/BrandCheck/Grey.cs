using NetVips;

namespace ImageGen.Core.BrandCheck;

/// <summary>A grey image as floats 0–1, row-major.</summary>
internal sealed record Grey(float[] Pixels, int Width, int Height)
{
    /// <summary>Rec. 709 luma of 8-bit sRGB(A), composited over <paramref name="background"/> (0 black, 1 white) where transparent.</summary>
    public static Grey From(byte[] rgba, int width, int height, float background)
    {
        var pixels = new float[width * height];
        for (var i = 0; i < pixels.Length; i++)
        {
            var o = i * 4;
            var luma = ((0.2126f * rgba[o]) + (0.7152f * rgba[o + 1]) + (0.0722f * rgba[o + 2])) / 255f;
            var alpha = rgba[o + 3] / 255f;
            pixels[i] = (luma * alpha) + (background * (1 - alpha));
        }
        return new Grey(pixels, width, height);
    }

    /// <summary>Half the size, each pixel the mean of a 2×2 block (an odd last row or column is dropped).</summary>
    public Grey Half()
    {
        int w = Width / 2, h = Height / 2;
        var pixels = new float[w * h];
        for (var y = 0; y < h; y++)
        {
            var top = 2 * y * Width;
            var bottom = top + Width;
            for (var x = 0; x < w; x++)
            {
                pixels[(y * w) + x] = (Pixels[top + (2 * x)] + Pixels[top + (2 * x) + 1] + Pixels[bottom + (2 * x)] + Pixels[bottom + (2 * x) + 1]) / 4;
            }
        }
        return new Grey(pixels, w, h);
    }

    public static Grey From(Image image, float background)
    {
        var rgba = Imaging.Pixels.Rgba(image);
        return From(rgba, image.Width, image.Height, background);
    }
}
