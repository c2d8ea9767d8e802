using System.Numerics;
using ImageGen.Core.Imaging;
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

/// <summary>
/// One logo asset, ready to be looked for: its visible part (cropped to where its alpha is), as grey, over white and over
/// black when it has transparency (a logo on a light and on a dark ground).
/// </summary>
public sealed class LogoTemplate : IDisposable
{
    private readonly Image logo;
    private readonly Dictionary<(int, int), List<(Grey Coarse, Grey Fine)>> bySize = [];

    public string Name { get; }

    public bool HasTransparency { get; }

    private LogoTemplate(Image logo, string name, bool hasTransparency)
    {
        this.logo = logo;
        Name = name;
        HasTransparency = hasTransparency;
    }

    /// <summary>Reads a logo file (within <see cref="ImageLimits"/>) and keeps it at most 512 px, cropped to its visible part.</summary>
    public static LogoTemplate Load(string path, string name)
    {
        using (ImageLimits.OpenFile(path, name))
        {
            // the header within the limits before anything is decoded
        }
        using var small = Image.Thumbnail(path, 512, height: 512, size: Enums.Size.Down, failOn: Enums.FailOn.Truncated);
        using var srgb = small.Colourspace(Enums.Interpretation.Srgb);
        // In memory: the file is read once, sequentially, and the alpha is read twice below.
        using var rgba = (srgb.HasAlpha() ? srgb.Cast(Enums.BandFormat.Uchar) : srgb.Cast(Enums.BandFormat.Uchar).Bandjoin(255)).CopyMemory();
        using var alpha = rgba[3];
        var transparent = alpha.Min() < 255;
        // Crop to the visible part: a logo file is often padded with transparency.
        int left = 0, top = 0, width = rgba.Width, height = rgba.Height;
        if (transparent)
        {
            var box = alpha.FindTrim(threshold: 127, background: [0]);
            (left, top, width, height) = (Convert.ToInt32(box[0]), Convert.ToInt32(box[1]), Convert.ToInt32(box[2]), Convert.ToInt32(box[3]));
        }
        if (width < 4 || height < 4)
        {
            throw new InvalidDataException($"the logo '{name}' has almost nothing visible to look for.");
        }
        var cropped = rgba.Crop(left, top, width, height).CopyMemory();
        // Transparency that is only padding is gone with the crop: one template (over white) is enough then.
        using var croppedAlpha = cropped[3];
        return new LogoTemplate(cropped, name, transparent && croppedAlpha.Min() < 255);
    }

    /// <summary>The scales looked at, the logo's longest side as a share of the image's longest side: from a tenth of the image up, each 1.2 times the last: a logo is at most 10 % off one of them.</summary>
    public static IReadOnlyList<double> Scales { get; } = Enumerable.Range(0, 12).Select(i => Math.Round(0.1 * Math.Pow(1.2, i), 3)).ToList();

    /// <summary>The logo as grey templates for the scales in [<paramref name="from"/>, <paramref name="to"/>), at the coarse size
    /// and <paramref name="factor"/> times it; made once per image size and kept for the job's other candidates.</summary>
    internal List<(Grey Coarse, Grey Fine)> For(int coarseWidth, int coarseHeight, int factor, double from, double to)
    {
        if (bySize.TryGetValue((coarseWidth, coarseHeight), out var cached))
        {
            return cached;
        }
        var templates = new List<(Grey, Grey)>();
        var longSide = Math.Max(coarseWidth, coarseHeight);
        foreach (var scale in Scales.Where(s => s >= from && s < to))
        {
            var target = scale * longSide / Math.Max(logo.Width, logo.Height);
            var tw = (int)Math.Round(logo.Width * target);
            var th = (int)Math.Round(logo.Height * target);
            if (tw < 6 || th < 6 || tw > coarseWidth || th > coarseHeight)
            {
                continue;
            }
            using var coarse = logo.ThumbnailImage(tw, height: th, size: Enums.Size.Force);
            using var fine = logo.ThumbnailImage(tw * factor, height: th * factor, size: Enums.Size.Force);
            foreach (var background in HasTransparency ? new[] { 1f, 0f } : [1f])
            {
                templates.Add((Grey.From(coarse, background), Grey.From(fine, background)));
            }
        }
        bySize[(coarseWidth, coarseHeight)] = templates;
        return templates;
    }

    public void Dispose() => logo.Dispose();
}

/// <summary>
/// Looks for logos by normalised cross-correlation of grey levels, coarse to fine: every scale of
/// <see cref="LogoTemplate.Scales"/> at every place of a small copy of the image, then the best places again at twice the
/// size. The confidence is the best correlation (0–1). It finds a logo pasted in at its own proportions, upright, in its own
/// shades or a uniformly lighter, darker or lower-contrast copy; it does not find one redrawn, rotated, skewed, inverted,
/// recoloured into other relative shades, or smaller than a tenth of the image (docs/BRAND-CHECK.md).
/// </summary>
internal static class LogoMatcher
{

    /// <summary>
    /// The copies searched: one grey copy 256 px on its long side (<see cref="FineSide"/>), halved to 128 and again to 64
    /// by 2×2 averages. Each scale is tried on the smallest copy where the logo is still at least ~13 px long (64 px for a
    /// fifth of the image and up, 128 px below), at every second place once the logo is 10 px or more; then the four best
    /// places again on the 256 px copy, within a coarse pixel and a half.
    /// </summary>
    private const int FineSide = 256;

    private static readonly (int Halvings, double From, double To)[] Levels = [(2, 0.2, 1.0), (1, 0, 0.2)];

    public static (double Confidence, string? Logo) Find(Image image, IReadOnlyList<LogoTemplate> logos)
    {
        Grey fine;
        using (var colour = Shrunk(image, FineSide))
        {
            fine = Grey.From(colour, 1f);
        }
        var fineSums = new Integral(fine);
        var half = fine.Half();
        var copies = new[] { fine, half, half.Half() };
        var candidates = new List<(double Score, int X, int Y, Grey Fine, int Factor, string Logo)>();
        foreach (var (halvings, from, to) in Levels)
        {
            var coarse = copies[halvings];
            var factor = 1 << halvings;
            var coarseSums = new Integral(coarse);
            foreach (var logo in logos)
            {
                foreach (var (template, fineTemplate) in logo.For(coarse.Width, coarse.Height, factor, from, to))
                {
                    var stride = template.Width >= 10 && template.Height >= 10 ? 2 : 1;
                    var (score, x, y) = Best(coarse, coarseSums, template, 0, coarse.Width - template.Width, 0, coarse.Height - template.Height, stride);
                    candidates.Add((score, x, y, fineTemplate, factor, logo.Name));
                }
            }
        }
        var best = (Score: 0.0, Logo: (string?)null);
        foreach (var c in candidates.OrderByDescending(c => c.Score).Take(4))
        {
            // The coarse search stepped two places: the peak is within one and a half coarse pixels of where it was seen.
            var radius = (c.Factor * 3 / 2) + 1;
            var cx = c.X * c.Factor;
            var cy = c.Y * c.Factor;
            var (score, _, _) = Best(fine, fineSums, c.Fine,
                Math.Max(0, cx - radius), Math.Min(fine.Width - c.Fine.Width, cx + radius),
                Math.Max(0, cy - radius), Math.Min(fine.Height - c.Fine.Height, cy + radius), 1);
            if (score > best.Score)
            {
                best = (score, c.Logo);
            }
        }
        return (Math.Clamp(best.Score, 0, 1), best.Logo);
    }

    /// <summary>The image with its long side <paramref name="side"/> (the short side in proportion), by a linear shrink: the
    /// search needs averages, not a sharp picture, and a lanczos resize of the 768 px copy cost more than the search.</summary>
    private static Image Shrunk(Image image, int side)
    {
        var longSide = Math.Max(image.Width, image.Height);
        if (longSide > side && longSide % side == 0)
        {
            // The 768 px thumbnail: an exact 3×3 box average, the cheapest shrink libvips has.
            using var boxed = image.Shrink(longSide / side, longSide / side);
            return boxed.CopyMemory();
        }
        var scale = (double)side / longSide;
        var width = Math.Max(1, (int)Math.Round(image.Width * scale));
        var height = Math.Max(1, (int)Math.Round(image.Height * scale));
        using var resized = image.Resize((double)width / image.Width, vscale: (double)height / image.Height, kernel: Enums.Kernel.Linear);
        return resized.CopyMemory();
    }

    /// <summary>The highest correlation of <paramref name="template"/> over the given range of top-left corners.</summary>
    private static (double Score, int X, int Y) Best(Grey image, Integral sums, Grey template, int x0, int x1, int y0, int y1, int stride)
    {
        var tw = template.Width;
        var th = template.Height;
        var n = tw * th;
        var mean = template.Pixels.Sum() / n;
        var centred = template.Pixels.Select(v => v - mean).ToArray();
        var templateEnergy = Dot(centred, centred);
        if (templateEnergy < n * 1e-4f)
        {
            return (0, x0, y0); // a flat template matches everything and nothing
        }
        var best = (Score: double.MinValue, X: x0, Y: y0);
        var pixels = image.Pixels.AsSpan();
        for (var y = y0; y <= y1; y += stride)
        {
            for (var x = x0; x <= x1; x += stride)
            {
                var (sum, sumSquares) = sums.Window(x, y, tw, th);
                var variance = sumSquares - (sum * sum / n);
                if (variance < n * 1e-4)
                {
                    continue; // a flat patch: no shape to correlate with
                }
                double dot = 0;
                for (var row = 0; row < th; row++)
                {
                    dot += Dot(pixels.Slice(((y + row) * image.Width) + x, tw), centred.AsSpan(row * tw, tw));
                }
                var score = dot / Math.Sqrt(variance * templateEnergy);
                if (score > best.Score)
                {
                    best = (score, x, y);
                }
            }
        }
        return best.Score == double.MinValue ? (0, x0, y0) : best;
    }

    /// <summary>
    /// The dot product of two rows, <see cref="Vector{T}"/> lanes at a time. Rows here are 10–150 floats: a library call per
    /// row (TensorPrimitives.Dot) cost ~150 ns each in call overhead, 7 ms for one 22 px template over a 128 px image.
    /// </summary>
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }
        var total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }
        return total;
    }

    /// <summary>Summed-area tables of the pixels and their squares: any window's sum in four lookups.</summary>
    private sealed class Integral
    {
        private readonly double[] sum;
        private readonly double[] squares;
        private readonly int stride;

        public Integral(Grey image)
        {
            stride = image.Width + 1;
            sum = new double[stride * (image.Height + 1)];
            squares = new double[sum.Length];
            for (var y = 0; y < image.Height; y++)
            {
                double rowSum = 0, rowSquares = 0;
                for (var x = 0; x < image.Width; x++)
                {
                    var v = image.Pixels[(y * image.Width) + x];
                    rowSum += v;
                    rowSquares += v * v;
                    sum[((y + 1) * stride) + x + 1] = sum[(y * stride) + x + 1] + rowSum;
                    squares[((y + 1) * stride) + x + 1] = squares[(y * stride) + x + 1] + rowSquares;
                }
            }
        }

        public (double Sum, double Squares) Window(int x, int y, int w, int h)
        {
            int a = (y * stride) + x, b = (y * stride) + x + w, c = ((y + h) * stride) + x, d = ((y + h) * stride) + x + w;
            return (sum[d] - sum[b] - sum[c] + sum[a], squares[d] - squares[b] - squares[c] + squares[a]);
        }
    }
}
