using NetVips;

namespace ImageGen.Core.Imaging;

/// <summary>
/// A source image reduced to what the offline model draws from: its lightness (0–1) and alpha (0–1) per pixel at the
/// output size, scaled to cover and centre-cropped like provider output, then blurred so it gives the composition
/// rather than the detail.
/// </summary>
public sealed class SourceLayout
{
    private SourceLayout(int width, int height, float[] lightness, float[] alpha) =>
        (Width, Height, Lightness, Alpha) = (width, height, lightness, alpha);

    public int Width { get; }
    public int Height { get; }
    public float[] Lightness { get; }
    public float[] Alpha { get; }

    /// <summary>Blur radius as a share of the shorter side.</summary>
    public const float BlurShare = 1f / 60;

    public static SourceLayout From(InputImage source, int width, int height)
    {
        using var scaled = Image.ThumbnailBuffer(source.Bytes, width, height: height, crop: Enums.Interesting.Centre, size: Enums.Size.Force);
        using var blurred = scaled.Gaussblur(Math.Max(0.5, Math.Min(width, height) * BlurShare));
        var memory = Pixels.Rgba(blurred);
        var count = width * height;
        var lightness = new float[count];
        var alpha = new float[count];
        for (var i = 0; i < count; i++)
        {
            var o = i * 4;
            lightness[i] = ((0.2126f * memory[o]) + (0.7152f * memory[o + 1]) + (0.0722f * memory[o + 2])) / 255f;
            alpha[i] = memory[o + 3] / 255f;
        }
        return new SourceLayout(width, height, lightness, alpha);
    }
}
