using System.Numerics;
using NetVips;

namespace ImageGen.Core.BrandCheck;

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
    public const int FineSide = 256;

    /// <summary>The best places of the coarse search tried again on the <see cref="FineSide"/> copy.</summary>
    public const int FinePlaces = 4;

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
        foreach (var c in candidates.OrderByDescending(c => c.Score).Take(FinePlaces))
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
