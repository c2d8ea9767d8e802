using ImageGen.Core.Imaging;
using NetVips;

namespace ImageGen.Core.BrandCheck;

/// <summary>
/// Colour science by libvips: sRGB to CIELAB, and CIEDE2000 distances (<c>vips_dE00</c>, checked against Sharma's test data
/// in the tests). Only the clustering is ours.
/// </summary>
public static class Lab
{
    /// <summary>Most rounds of Lloyd's iterations the clustering runs (it stops sooner when no pixel changes cluster).</summary>
    public const int MaxRounds = 12;

    /// <summary>An image's pixels in CIELAB, three floats a pixel, row-major (alpha ignored).</summary>
    public static float[] Of(Image rgb)
    {
        using var three = rgb.Bands > 3 ? rgb.ExtractBand(0, n: 3) : rgb.Copy();
        using var srgb = three.Copy(interpretation: Enums.Interpretation.Srgb);
        using var lab = srgb.Colourspace(Enums.Interpretation.Lab);
        return lab.WriteToMemory<float>();
    }

    public static IReadOnlyList<LabColour> Of(IReadOnlyList<Rgb> colours)
    {
        if (colours.Count == 0)
        {
            return [];
        }
        var bytes = colours.SelectMany(c => new[] { c.R, c.G, c.B }).ToArray();
        using var image = Image.NewFromMemory(bytes, colours.Count, 1, 3, Enums.BandFormat.Uchar);
        var floats = Of(image);
        return Enumerable.Range(0, colours.Count).Select(i => new LabColour(floats[i * 3], floats[(i * 3) + 1], floats[(i * 3) + 2])).ToList();
    }

    /// <summary>CIEDE2000 between each pair <c>(a[i], b[i])</c>.</summary>
    public static double[] DeltaE00(IReadOnlyList<LabColour> a, IReadOnlyList<LabColour> b)
    {
        if (a.Count != b.Count)
        {
            throw new ArgumentException("Pairs need lists of one length.");
        }
        if (a.Count == 0)
        {
            return [];
        }
        using var left = FromLab(a);
        using var right = FromLab(b);
        using var distance = left.DE00(right);
        return distance.WriteToMemory<float>().Select(f => (double)f).ToArray();
    }

    /// <summary>CIEDE2000 from every pixel of a Lab float image to one colour.</summary>
    public static float[] DeltaE00(float[] pixels, int width, int height, LabColour colour)
    {
        using var raw = Image.NewFromMemory(pixels, width, height, 3, Enums.BandFormat.Float);
        using var image = raw.Copy(interpretation: Enums.Interpretation.Lab);
        using var constant = image.NewFromImage(colour.L, colour.A, colour.B);
        using var distance = image.DE00(constant);
        return distance.WriteToMemory<float>();
    }

    private static Image FromLab(IReadOnlyList<LabColour> colours)
    {
        var floats = colours.SelectMany(c => new[] { c.L, c.A, c.B }).ToArray();
        using var image = Image.NewFromMemory(floats, colours.Count, 1, 3, Enums.BandFormat.Float);
        return image.Copy(interpretation: Enums.Interpretation.Lab);
    }

    /// <summary>
    /// Dominant colours by k-means in CIELAB (Lloyd's algorithm, Euclidean ΔE*ab within the loop): seeded with the most
    /// common coarse colour, then each next seed the pixel farthest from every seed so far; at most 12 rounds. Returns the
    /// clusters by share, largest first. Deterministic for the same pixels.
    /// </summary>
    /// <param name="weights">1 for a pixel that counts, 0 for one that does not (transparent).</param>
    /// <param name="rgba">The same pixels as 8-bit sRGBA: each cluster's shown colour is the mean of its own pixels there.</param>
    public static IReadOnlyList<(LabColour Centre, Rgb Colour, double Share)> Clusters(float[] lab, byte[] rgba, byte[] weights, int k)
    {
        var n = weights.Length;
        var points = new List<int>(n);
        for (var i = 0; i < n; i++)
        {
            if (weights[i] != 0)
            {
                points.Add(i);
            }
        }
        if (points.Count == 0)
        {
            return [];
        }
        LabColour At(int i) => new(lab[i * 3], lab[(i * 3) + 1], lab[(i * 3) + 2]);

        // First seed: the fullest bin of a coarse Lab grid (10 units a side), its first pixel.
        var bins = new Dictionary<(int, int, int), (int Count, int First)>();
        foreach (var p in points)
        {
            var c = At(p);
            var key = ((int)(c.L / 10), (int)Math.Floor(c.A / 10), (int)Math.Floor(c.B / 10));
            bins[key] = bins.TryGetValue(key, out var bin) ? (bin.Count + 1, bin.First) : (1, p);
        }
        var centres = new List<LabColour> { At(bins.Values.OrderByDescending(b => b.Count).ThenBy(b => b.First).First().First) };
        var nearest = points.Select(p => At(p).DistanceSquared(centres[0])).ToArray();
        while (centres.Count < k)
        {
            var far = 0;
            for (var j = 1; j < points.Count; j++)
            {
                if (nearest[j] > nearest[far])
                {
                    far = j;
                }
            }
            if (nearest[far] < 4) // every pixel within ΔE*ab 2 of a seed: fewer colours than k
            {
                break;
            }
            var seed = At(points[far]);
            centres.Add(seed);
            for (var j = 0; j < points.Count; j++)
            {
                nearest[j] = Math.Min(nearest[j], At(points[j]).DistanceSquared(seed));
            }
        }

        var assignment = new int[points.Count];
        var counts = new int[centres.Count];
        for (var round = 0; round < MaxRounds; round++)
        {
            var sums = new double[centres.Count, 3];
            Array.Clear(counts);
            var moved = false;
            for (var j = 0; j < points.Count; j++)
            {
                var c = At(points[j]);
                var best = 0;
                var bestDistance = double.MaxValue;
                for (var m = 0; m < centres.Count; m++)
                {
                    var d = c.DistanceSquared(centres[m]);
                    if (d < bestDistance)
                    {
                        bestDistance = d;
                        best = m;
                    }
                }
                moved |= round == 0 || assignment[j] != best;
                assignment[j] = best;
                counts[best]++;
                sums[best, 0] += c.L;
                sums[best, 1] += c.A;
                sums[best, 2] += c.B;
            }
            for (var m = 0; m < centres.Count; m++)
            {
                if (counts[m] > 0)
                {
                    centres[m] = new LabColour((float)(sums[m, 0] / counts[m]), (float)(sums[m, 1] / counts[m]), (float)(sums[m, 2] / counts[m]));
                }
            }
            if (!moved)
            {
                break;
            }
        }
        var rgbSums = new long[centres.Count, 3];
        for (var j = 0; j < points.Count; j++)
        {
            var o = points[j] * 4;
            rgbSums[assignment[j], 0] += rgba[o];
            rgbSums[assignment[j], 1] += rgba[o + 1];
            rgbSums[assignment[j], 2] += rgba[o + 2];
        }
        return Enumerable.Range(0, centres.Count)
            .Where(m => counts[m] > 0)
            .Select(m => (centres[m], new Rgb((byte)(rgbSums[m, 0] / counts[m]), (byte)(rgbSums[m, 1] / counts[m]), (byte)(rgbSums[m, 2] / counts[m])), (double)counts[m] / points.Count))
            .OrderByDescending(c => c.Item3)
            .ToList();
    }
}
