using System.Globalization;

namespace ImageGen.Core.Spec;

/// <summary>The pixel size of a request, resolved from <c>--size WxH</c> and/or <c>--aspect-ratio W:H</c>.</summary>
public readonly record struct ImageSize(int Width, int Height)
{
    public const int MinSide = 16;
    public const int MaxSide = 4096;
    public const int DefaultLongSide = 1024;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}");

    /// <summary>The reduced ratio, e.g. 1920x1080 → "16:9".</summary>
    public string AspectRatio
    {
        get
        {
            var divisor = Gcd(Width, Height);
            return string.Create(CultureInfo.InvariantCulture, $"{Width / divisor}:{Height / divisor}");
        }
    }

    /// <summary>
    /// Size alone is taken as is; an aspect ratio alone gives a 1024 px long side; both must agree (within 1%);
    /// neither gives 1024x1024. Throws a usage error with a message that names the bad value.
    /// </summary>
    public static ImageSize Resolve(string? size, string? aspectRatio)
    {
        ImageSize? explicitSize = string.IsNullOrWhiteSpace(size) ? null : ParseSize(size);
        (int W, int H)? ratio = string.IsNullOrWhiteSpace(aspectRatio) ? null : ParseRatio(aspectRatio);

        if (explicitSize is { } s)
        {
            if (ratio is { } r && Math.Abs(((double)s.Width / s.Height) - ((double)r.W / r.H)) > 0.01 * r.W / r.H)
            {
                throw ImageGenException.Usage($"Size {s} does not match aspect ratio {aspectRatio}; give one, or make them agree.");
            }
            return s;
        }
        if (ratio is { } only)
        {
            var (w, h) = only.W >= only.H
                ? (DefaultLongSide, (int)Math.Round(DefaultLongSide * (double)only.H / only.W))
                : ((int)Math.Round(DefaultLongSide * (double)only.W / only.H), DefaultLongSide);
            if (Math.Min(w, h) < MinSide)
            {
                throw ImageGenException.Usage($"Aspect ratio {aspectRatio} is too extreme: a side would be under {MinSide} px.");
            }
            return new ImageSize(w, h);
        }
        return new ImageSize(DefaultLongSide, DefaultLongSide);
    }

    public static ImageSize ParseSize(string text)
    {
        var parts = text.Trim().ToLowerInvariant().Split('x');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h))
        {
            throw ImageGenException.Usage($"Size '{text}' is not WIDTHxHEIGHT, e.g. 1024x1024.");
        }
        if (w is < MinSide or > MaxSide || h is < MinSide or > MaxSide)
        {
            throw ImageGenException.Usage($"Size {w}x{h} is out of range: each side must be {MinSide}–{MaxSide} px.");
        }
        return new ImageSize(w, h);
    }

    private static (int W, int H) ParseRatio(string text)
    {
        var parts = text.Trim().Split(':');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || w < 1 || h < 1 || w > 100 || h > 100)
        {
            throw ImageGenException.Usage($"Aspect ratio '{text}' is not W:H with whole numbers 1–100, e.g. 16:9.");
        }
        return (w, h);
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
