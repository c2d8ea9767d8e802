using System.Security.Cryptography;
using System.Text;

namespace ImageGen.Core.Imaging;

/// <summary>
/// The offline model's painter: a gradient ground, soft discs and a wave or ring texture, laid out by a
/// random generator seeded from the prompt and the seed, and coloured from <see cref="Palette.ForPrompt"/>.
/// Pure integer-seeded arithmetic with no shared state, so equal inputs give equal pixels on any machine.
/// </summary>
public static class ProceduralRenderer
{
    private sealed record Disc(float X, float Y, float Radius, float Softness, float Opacity, Rgb Colour);

    /// <summary>Renders packed RGB bytes (3 per pixel, row-major).</summary>
    public static byte[] Render(string prompt, long seed, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var palette = Palette.ForPrompt(prompt);
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

        var pixels = new byte[width * height * 3];
        Parallel.For(0, height, y =>
        {
            var row = pixels.AsSpan(y * width * 3, width * 3);
            for (var x = 0; x < width; x++)
            {
                var t = Math.Clamp((((x - (width / 2f)) * gx) + ((y - (height / 2f)) * gy)) / extent + 0.5f, 0f, 1f);
                var r = Lerp(ground0.R, ground1.R, t);
                var g = Lerp(ground0.G, ground1.G, t);
                var b = Lerp(ground0.B, ground1.B, t);

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
                }

                var phase = rings
                    ? MathF.Sqrt(((x - cx) * (x - cx)) + ((y - cy) * (y - cy))) * waveFrequency
                    : ((x * wx) + (y * wy)) * waveFrequency;
                var wave = waveOpacity * (0.5f + (0.5f * MathF.Sin(phase + wavePhase)));
                r = Lerp(r, waveColour.R, wave);
                g = Lerp(g, waveColour.G, wave);
                b = Lerp(b, waveColour.B, wave);

                row[x * 3] = (byte)Math.Clamp(r + 0.5f, 0f, 255f);
                row[(x * 3) + 1] = (byte)Math.Clamp(g + 0.5f, 0f, 255f);
                row[(x * 3) + 2] = (byte)Math.Clamp(b + 0.5f, 0f, 255f);
            }
        });
        return pixels;
    }

    private static float Lerp(float a, float b, float t) => a + ((b - a) * t);

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
