using BenchmarkDotNet.Attributes;
using ImageGen.Core.Imaging;
using SkiaSharp;
using ImageGen.Core.Spec;

namespace ImageGen.Bench;

/// <summary>
/// The image library choice, measured: PNG → WebP at quality 80, and a 1024 → 384 px WebP thumbnail, from the same
/// 1024×1024 PNG, with NetVips (the product's) and SkiaSharp. The Debian cwebp and vips baselines are timed as
/// whole processes with hyperfine (docs/BENCHMARKS.md).
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class ImagingBenchmarks
{
    public static string InputPath => Path.Combine(Path.GetTempPath(), "imagegen-bench-input.png");

    private byte[] _png = [];

    [GlobalSetup]
    public void Setup()
    {
        if (!File.Exists(InputPath))
        {
            WriteInput();
        }
        _png = File.ReadAllBytes(InputPath);
    }

    /// <summary>The offline model's 1024×1024 PNG for a fixed prompt and seed: the same input for every tool.</summary>
    public static void WriteInput() =>
        File.WriteAllBytes(InputPath, ImageEncoder.EncodeRgb(ProceduralRenderer.Render("benchmark hero #c2410c #1c1917 #fef3c7", 42, 1024, 1024), 1024, 1024, ImageFormats.Png, null));

    [Benchmark]
    public int NetVips_PngToWebp80()
    {
        using var image = NetVips.Image.NewFromBuffer(_png);
        return image.WebpsaveBuffer(q: 80).Length;
    }

    [Benchmark]
    public int Skia_PngToWebp80()
    {
        using var bitmap = SKBitmap.Decode(_png);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Webp, 80);
        return (int)data.Size;
    }

    [Benchmark]
    public int NetVips_Thumbnail384()
    {
        using var thumbnail = NetVips.Image.ThumbnailBuffer(_png, 384, height: 384);
        return thumbnail.WebpsaveBuffer(q: 80).Length;
    }

    [Benchmark]
    public int Skia_Thumbnail384()
    {
        using var bitmap = SKBitmap.Decode(_png);
        using var resized = bitmap.Resize(new SKImageInfo(384, 384), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var image = SKImage.FromBitmap(resized);
        using var data = image.Encode(SKEncodedImageFormat.Webp, 80);
        return (int)data.Size;
    }
}
