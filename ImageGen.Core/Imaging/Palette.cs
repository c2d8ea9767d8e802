using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ImageGen.Core.Imaging;

public readonly record struct Rgb(byte R, byte G, byte B)
{
    public override string ToString() => $"#{R:x2}{G:x2}{B:x2}";
}

/// <summary>The colours a procedural image is drawn from: hex colours named in the prompt, else ones derived from its hash.</summary>
public static partial class Palette
{
    [GeneratedRegex(@"#(?<hex>[0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![0-9a-zA-Z])")]
    private static partial Regex HexColour();

    /// <summary>Hex colours in the order they appear (duplicates removed), e.g. <c>#ff5500</c> or <c>#f50</c>.</summary>
    public static IReadOnlyList<Rgb> FromText(string text)
    {
        var colours = new List<Rgb>();
        foreach (Match match in HexColour().Matches(text))
        {
            var hex = match.Groups["hex"].Value;
            if (hex.Length == 3)
            {
                hex = string.Concat(hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]);
            }
            var value = int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var colour = new Rgb((byte)(value >> 16), (byte)(value >> 8), (byte)value);
            if (!colours.Contains(colour))
            {
                colours.Add(colour);
            }
        }
        return colours;
    }

    /// <summary>
    /// The palette for a prompt: its own hex colours (at least two, shading a single one) less <paramref name="avoid"/> (the
    /// colours the brand's rules avoid, read by the caller: imaging sits below the brand check), else a hash-derived scheme.
    /// </summary>
    public static IReadOnlyList<Rgb> ForPrompt(string prompt, IReadOnlyCollection<Rgb>? avoid = null)
    {
        var named = FromText(prompt);
        if (named.Count > 0 && avoid is { Count: > 0 })
        {
            named = named.Where(c => !avoid.Contains(c)).ToList();
        }
        if (named.Count > 0)
        {
            return Shaded(named);
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(prompt));
        var baseHue = ((hash[0] << 8) | hash[1]) / 65536.0 * 360.0;
        // Scheme: analogous, complementary or triadic, picked by the hash.
        double[] offsets = (hash[2] % 3) switch
        {
            0 => [0, 30, 60, 200],
            1 => [0, 180, 20, 200],
            _ => [0, 120, 240, 60],
        };
        return offsets.Select((offset, i) => FromHsl(
            (baseHue + offset) % 360,
            0.45 + (hash[3 + i] / 255.0 * 0.45),
            0.30 + (hash[7 + i] / 255.0 * 0.40))).ToList();
    }

    /// <summary>The colours as they are when there are two or more; one colour gets a darker and a lighter shade of itself.</summary>
    public static IReadOnlyList<Rgb> Shaded(IReadOnlyList<Rgb> colours)
    {
        if (colours.Count != 1)
        {
            return colours;
        }
        var (h, s, l) = ToHsl(colours[0]);
        return [colours[0], FromHsl(h, s, Math.Clamp(l * 0.45, 0.05, 0.9)), FromHsl(h, s * 0.6, Math.Clamp(l + ((1 - l) * 0.6), 0.1, 0.95))];
    }

    /// <summary>Most colours <see cref="Dominant"/> returns.</summary>
    public const int MaxDominant = 5;

    /// <summary>
    /// The images' dominant colours, most common first: each image is shrunk to 64 px, its opaque pixels counted in
    /// 16 levels a channel, and the fullest bins taken (their mean colour) unless they are close to one already taken.
    /// Deterministic: ties go to the lower bin.
    /// </summary>
    public static IReadOnlyList<Rgb> Dominant(IEnumerable<InputImage> images)
    {
        var counts = new long[4096];
        var sums = new long[4096, 3];
        foreach (var input in images)
        {
            using var small = NetVips.Image.ThumbnailBuffer(input.Bytes, 64, height: 64);
            var memory = Pixels.Rgba(small);
            for (var o = 0; o + 3 < memory.Length; o += 4)
            {
                if (memory[o + 3] < 128)
                {
                    continue; // transparent: not a colour of the image
                }
                var bin = ((memory[o] >> 4) << 8) | ((memory[o + 1] >> 4) << 4) | (memory[o + 2] >> 4);
                counts[bin]++;
                sums[bin, 0] += memory[o];
                sums[bin, 1] += memory[o + 1];
                sums[bin, 2] += memory[o + 2];
            }
        }
        var chosen = new List<Rgb>();
        foreach (var bin in Enumerable.Range(0, counts.Length).Where(b => counts[b] > 0).OrderByDescending(b => counts[b]).ThenBy(b => b))
        {
            var n = counts[bin];
            var colour = new Rgb((byte)(sums[bin, 0] / n), (byte)(sums[bin, 1] / n), (byte)(sums[bin, 2] / n));
            if (chosen.All(c => Distance(c, colour) >= 48))
            {
                chosen.Add(colour);
                if (chosen.Count == MaxDominant)
                {
                    break;
                }
            }
        }
        return chosen;
    }

    private static double Distance(Rgb a, Rgb b) =>
        Math.Sqrt(Math.Pow(a.R - b.R, 2) + Math.Pow(a.G - b.G, 2) + Math.Pow(a.B - b.B, 2));

    private static (double H, double S, double L) ToHsl(Rgb c)
    {
        double r = c.R / 255.0, g = c.G / 255.0, b = c.B / 255.0;
        double max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
        var l = (max + min) / 2;
        if (max == min)
        {
            return (0, 0, l);
        }
        var d = max - min;
        var s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
        var h = max == r ? ((g - b) / d) + (g < b ? 6 : 0) : max == g ? ((b - r) / d) + 2 : ((r - g) / d) + 4;
        return (h * 60, s, l);
    }

    private static Rgb FromHsl(double h, double s, double l)
    {
        var c = (1 - Math.Abs((2 * l) - 1)) * s;
        var x = c * (1 - Math.Abs((h / 60 % 2) - 1));
        var m = l - (c / 2);
        var (r, g, b) = h switch
        {
            < 60 => (c, x, 0.0),
            < 120 => (x, c, 0.0),
            < 180 => (0.0, c, x),
            < 240 => (0.0, x, c),
            < 300 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return new Rgb(ToByte(r + m), ToByte(g + m), ToByte(b + m));
    }

    private static byte ToByte(double v) => (byte)Math.Clamp(Math.Round(v * 255), 0, 255);
}
