using System.Security.Cryptography;
using System.Text;

namespace ImageGen.Core.Imaging;

/// <summary>What shapes a render besides the prompt and seed.</summary>
/// <param name="Palette">Colours to draw with instead of the prompt's (e.g. the references' dominant colours).</param>
/// <param name="Layout">A source image's lightness and alpha at the output size, laid over the shapes.</param>
/// <param name="Transparent">Leave the ground out: RGBA output whose alpha is the shapes' coverage.</param>
public sealed record RenderInputs(IReadOnlyList<Rgb>? Palette = null, SourceLayout? Layout = null, bool Transparent = false, IReadOnlyCollection<Rgb>? Avoid = null)
{
    public static RenderInputs None { get; } = new();
}

/// <summary>
/// The offline model's painter: a gradient ground, soft discs and a wave or ring texture, laid out by a
/// random generator seeded from the prompt and the seed, and coloured from <see cref="Palette.ForPrompt"/>.
/// Pure integer-seeded arithmetic with no shared state, so equal inputs give equal pixels on any machine.
/// </summary>
public static class ProceduralRenderer
{
    private sealed record Disc(float X, float Y, float Radius, float Softness, float Opacity, Rgb Colour);

    /// <summary>How much a source image's layout weighs against the procedural shapes.</summary>
    public const float LayoutStrength = 0.7f;

    /// <summary>
    /// Renders packed RGB bytes (3 per pixel, row-major), or RGBA (4, straight alpha) when <paramref name="inputs"/> asks
    /// for a transparent background: the ground is left out and only the shapes (and a source image's own alpha) cover.
    /// </summary>
    public static byte[] Render(string prompt, long seed, int width, int height, RenderInputs? inputs = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        inputs ??= RenderInputs.None;
        var palette = inputs.Palette is { Count: > 0 } given ? Palette.Shaded(given) : Palette.ForPrompt(prompt, inputs.Avoid);
        var layout = inputs.Layout;
        if (layout is not null && (layout.Width != width || layout.Height != height))
        {
            throw new ArgumentException($"The layout is {layout.Width}x{layout.Height}; the image is {width}x{height}.", nameof(inputs));
        }
        var byLightness = palette.OrderBy(c => (0.2126f * c.R) + (0.7152f * c.G) + (0.0722f * c.B)).ToArray();
        var transparent = inputs.Transparent;
        var bands = transparent ? 4 : 3;
        var random = new SplitMix64(BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(prompt))) ^ (ulong)seed * 0x9E3779B97F4A7C15UL);

        // Layout in units of the shorter side, so an image keeps its composition across aspect ratios.
        var unit = Math.Min(width, height);
        var angle = random.NextFloat() * MathF.Tau;
        var (gx, gy) = (MathF.Cos(angle), MathF.Sin(angle));
        var extent = (Math.Abs(gx) * width) + (Math.Abs(gy) * height);
        var groundIndex = random.Next(palette.Count);
        var ground0 = palette[groundIndex];
        var ground1 = palette[(groundIndex + 1 + random.Next(palette.Count - 1)) % palette.Count];

        var discs = new Disc[3 + random.Next(5)];
        for (var i = 0; i < discs.Length; i++)
        {
            discs[i] = new Disc(
                X: (-0.1f + (random.NextFloat() * 1.2f)) * width,
                Y: (-0.1f + (random.NextFloat() * 1.2f)) * height,
                Radius: (0.08f + (random.NextFloat() * 0.38f)) * unit,
                Softness: 0.02f + (random.NextFloat() * 0.5f),
                Opacity: 0.45f + (random.NextFloat() * 0.5f),
                Colour: palette[random.Next(palette.Count)]);
        }

        var rings = random.Next(2) == 0;
        var waveColour = palette[random.Next(palette.Count)];
        var waveFrequency = (6 + (random.NextFloat() * 18)) * MathF.Tau / unit;
        var waveAngle = random.NextFloat() * MathF.Tau;
        var (wx, wy) = (MathF.Cos(waveAngle), MathF.Sin(waveAngle));
        var (cx, cy) = (random.NextFloat() * width, random.NextFloat() * height);
        var wavePhase = random.NextFloat() * MathF.Tau;
        var waveOpacity = 0.08f + (random.NextFloat() * 0.14f);

        var pixels = new byte[width * height * bands];
        Parallel.For(0, height, y =>
        {
            var row = pixels.AsSpan(y * width * bands, width * bands);
            for (var x = 0; x < width; x++)
            {
                // Colours are premultiplied by the coverage a; an opaque image has a = 1 throughout, so its arithmetic is
                // exactly the plain blend's, and a transparent one starts from nothing instead of the ground.
                float r, g, b, a;
                if (transparent)
                {
                    (r, g, b, a) = (0f, 0f, 0f, 0f);
                }
                else
                {
                    var t = Math.Clamp((((x - (width / 2f)) * gx) + ((y - (height / 2f)) * gy)) / extent + 0.5f, 0f, 1f);
                    (r, g, b, a) = (Lerp(ground0.R, ground1.R, t), Lerp(ground0.G, ground1.G, t), Lerp(ground0.B, ground1.B, t), 1f);
                }

                foreach (var disc in discs)
                {
                    var dx = x - disc.X;
                    var dy = y - disc.Y;
                    var distance = MathF.Sqrt((dx * dx) + (dy * dy)) / disc.Radius;
                    if (distance >= 1f)
                    {
                        continue;
                    }
                    var edge = 1f - disc.Softness;
                    var alpha = disc.Opacity * (distance <= edge ? 1f : SmoothStep(1f, edge, distance));
                    r = Lerp(r, disc.Colour.R, alpha);
                    g = Lerp(g, disc.Colour.G, alpha);
                    b = Lerp(b, disc.Colour.B, alpha);
                    a = Lerp(a, 1f, alpha);
                }

                var phase = rings
                    ? MathF.Sqrt(((x - cx) * (x - cx)) + ((y - cy) * (y - cy))) * waveFrequency
                    : ((x * wx) + (y * wy)) * waveFrequency;
                var wave = waveOpacity * (0.5f + (0.5f * MathF.Sin(phase + wavePhase)));
                r = Lerp(r, waveColour.R * a, wave);
                g = Lerp(g, waveColour.G * a, wave);
                b = Lerp(b, waveColour.B * a, wave);

                if (layout is not null)
                {
                    // The source's light and dark, in the palette's colours, over the shapes: its composition shows through.
                    var i = (y * width) + x;
                    var mapped = Gradient(byLightness, layout.Lightness[i]);
                    var coverage = transparent ? layout.Alpha[i] : 1f;
                    r = Lerp(r, mapped.R * coverage, LayoutStrength);
                    g = Lerp(g, mapped.G * coverage, LayoutStrength);
                    b = Lerp(b, mapped.B * coverage, LayoutStrength);
                    a = Lerp(a, coverage, LayoutStrength);
                }

                var o = x * bands;
                if (transparent)
                {
                    var unmultiply = a > 0f ? 1f / a : 0f;
                    (r, g, b) = (r * unmultiply, g * unmultiply, b * unmultiply);
                    row[o + 3] = (byte)Math.Clamp((a * 255f) + 0.5f, 0f, 255f);
                }
                row[o] = (byte)Math.Clamp(r + 0.5f, 0f, 255f);
                row[o + 1] = (byte)Math.Clamp(g + 0.5f, 0f, 255f);
                row[o + 2] = (byte)Math.Clamp(b + 0.5f, 0f, 255f);
            }
        });
        return pixels;
    }

    private static float Lerp(float a, float b, float t) => a + ((b - a) * t);

    /// <summary>The colour at <paramref name="t"/> (0–1) along the palette from darkest to lightest.</summary>
    private static (float R, float G, float B) Gradient(Rgb[] byLightness, float t)
    {
        if (byLightness.Length == 1)
        {
            return (byLightness[0].R, byLightness[0].G, byLightness[0].B);
        }
        var position = Math.Clamp(t, 0f, 1f) * (byLightness.Length - 1);
        var index = Math.Min((int)position, byLightness.Length - 2);
        var f = position - index;
        var (c0, c1) = (byLightness[index], byLightness[index + 1]);
        return (Lerp(c0.R, c1.R, f), Lerp(c0.G, c1.G, f), Lerp(c0.B, c1.B, f));
    }

    private static float SmoothStep(float edge0, float edge1, float x)
    {
        var t = Math.Clamp((x - edge0) / (edge1 - edge0), 0f, 1f);
        return t * t * (3f - (2f * t));
    }

    /// <summary>A small, fully specified generator, so the pixels never depend on the runtime's Random.</summary>
    private struct SplitMix64(ulong state)
    {
        private ulong _state = state;

        public ulong NextULong()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public float NextFloat() => (NextULong() >> 40) / (float)(1UL << 24);

        public int Next(int maxExclusive) => (int)(NextULong() % (ulong)maxExclusive);
    }
}
