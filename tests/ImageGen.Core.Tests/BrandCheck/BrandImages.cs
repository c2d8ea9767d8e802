using ImageGen.Core.Imaging;
using NetVips;

namespace ImageGen.Core.Tests.BrandCheck;

/// <summary>Images made for the brand check's tests: flat colour regions, transparency, a logo and a scene to paste it into.</summary>
internal static class BrandImages
{
    /// <summary>Vertical stripes of the given colours, each the given share of the width; opaque sRGB.</summary>
    public static Image Stripes(int width, int height, params (string Hex, double Share)[] stripes)
    {
        var image = Image.Black(width, height, bands: 3).Copy(interpretation: Enums.Interpretation.Srgb);
        var x = 0;
        foreach (var (hex, share) in stripes)
        {
            var c = Palette.FromText(hex)[0];
            var w = (int)Math.Round(width * share);
            image = image.Mutate(m => m.DrawRect([c.R, c.G, c.B], x, 0, Math.Min(w, width - x), height, fill: true));
            x += w;
        }
        return image.Cast(Enums.BandFormat.Uchar);
    }

    /// <summary>A fill of one colour with a transparent margin of <paramref name="margin"/> pixels on every side.</summary>
    public static Image Cutout(int width, int height, string hex, int margin)
    {
        var c = Palette.FromText(hex)[0];
        var image = Image.Black(width, height, bands: 4).Copy(interpretation: Enums.Interpretation.Srgb);
        image = image.Mutate(m => m.DrawRect([c.R, c.G, c.B, 255], margin, margin, width - (2 * margin), height - (2 * margin), fill: true));
        return image.Cast(Enums.BandFormat.Uchar);
    }

    /// <summary>A made-up mark: a dark blue rounded plate with a white ring and an orange bar, on transparency, 240x160.</summary>
    public static Image Logo()
    {
        var image = Image.Black(240, 160, bands: 4).Copy(interpretation: Enums.Interpretation.Srgb);
        image = image.Mutate(m => m.DrawRect([20, 40, 110, 255], 20, 10, 200, 140, fill: true));
        image = image.Mutate(m => m.DrawCircle([255, 255, 255, 255], 80, 80, 45, fill: true));
        image = image.Mutate(m => m.DrawCircle([20, 40, 110, 255], 80, 80, 28, fill: true));
        image = image.Mutate(m => m.DrawRect([250, 150, 20, 255], 140, 50, 60, 60, fill: true));
        return image.Cast(Enums.BandFormat.Uchar);
    }

    /// <summary>An offline-model picture (soft discs on a ground), opaque, for a realistic scene.</summary>
    public static Image Scene(string prompt, int width = 1024, int height = 1024) =>
        Image.NewFromMemory(ProceduralRenderer.Render(prompt, 7, width, height), width, height, 3, Enums.BandFormat.Uchar)
            .Copy(interpretation: Enums.Interpretation.Srgb);

    /// <summary>The scene with the logo pasted in at <paramref name="widthShare"/> of the scene's width, top-left at (x, y).</summary>
    public static Image WithLogo(Image scene, Image logo, double widthShare, int x, int y)
    {
        var scaled = logo.Resize(scene.Width * widthShare / logo.Width);
        using var withAlpha = scene.Bandjoin(255);
        return withAlpha.Composite2(scaled, Enums.BlendMode.Over, x: x, y: y).Flatten().Cast(Enums.BandFormat.Uchar);
    }

    public static string Save(Image image, string path)
    {
        image.WriteToFile(path);
        return path;
    }
}
