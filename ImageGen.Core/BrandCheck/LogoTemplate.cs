using ImageGen.Core.Imaging;
using NetVips;

namespace ImageGen.Core.BrandCheck;

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

    /// <summary>Longest side a logo is kept at: more than the largest size it is looked for at on the 256 px copy.</summary>
    public const int MaxSide = 512;

    /// <summary>Reads a logo file (within <see cref="ImageLimits"/>) and keeps it at most <see cref="MaxSide"/> px, cropped to its visible part.</summary>
    public static LogoTemplate Load(string path, string name)
    {
        using (ImageLimits.OpenFile(path, name))
        {
            // the header within the limits before anything is decoded
        }
        using var small = Image.Thumbnail(path, MaxSide, height: MaxSide, size: Enums.Size.Down, failOn: Enums.FailOn.Truncated);
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
