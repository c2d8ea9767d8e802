using ImageGen.Core.Files;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Generation;

/// <summary>Ingest checks a file's real alpha when a transparent background was asked for.</summary>
public sealed class RunIngestFacts
{
    private static async Task<IReadOnlyList<StoredImage>> IngestAsync(TempDirectory dir, byte[] png, string background, int size = 32)
    {
        var root = new DataRoot(dir.Path);
        root.EnsureCreated();
        var output = Path.Combine(root.TempDir, "out");
        Directory.CreateDirectory(output);
        await File.WriteAllBytesAsync(Path.Combine(output, "01-seed1.png"), png);
        var manifest = new GenerateManifest
        {
            Model = "openai/gpt-image-2", Prompt = "an icon",
            Settings = new ManifestSettings(size, size, "1:1", "png", 1, 1, background),
            Images = [new ManifestImage("01-seed1.png", size, size, "png", png.LongLength, 1)],
        };
        return (await new RunIngest(new LocalImageStore(root)).StoreAsync(manifest, output, new RunPlace("p", "i", 1), background)).Images;
    }

    [Fact]
    public async Task AnOpaqueFile_WhenTransparencyWasAsked_IsKeptWithAWarning()
    {
        using var dir = new TempDirectory("ingest-alpha");
        var opaque = ImageEncoder.EncodeRgb(new byte[32 * 32 * 3], 32, 32, ImageFormats.Png, null);
        // An alpha channel that is 255 everywhere is still opaque.
        var fullAlpha = ImageEncoder.EncodePixels(Enumerable.Repeat((byte)255, 32 * 32 * 4).ToArray(), 32, 32, 4, ImageFormats.Png, null);

        Assert.Equal("A transparent background was asked for, but this file is opaque: the model did not honour it.",
            Assert.Single(await IngestAsync(dir, opaque, Backgrounds.Transparent)).Warning);
        using var dir2 = new TempDirectory("ingest-alpha2");
        Assert.NotNull(Assert.Single(await IngestAsync(dir2, fullAlpha, Backgrounds.Transparent)).Warning);
        using var dir3 = new TempDirectory("ingest-alpha3");
        Assert.Null(Assert.Single(await IngestAsync(dir3, opaque, Backgrounds.Auto)).Warning);
    }

    [Fact]
    public async Task ATransparentFile_PassesWithoutAWarning()
    {
        using var dir = new TempDirectory("ingest-alpha4");
        var clear = ImageEncoder.EncodePixels(new byte[32 * 32 * 4], 32, 32, 4, ImageFormats.Png, null);

        Assert.Null(Assert.Single(await IngestAsync(dir, clear, Backgrounds.Transparent)).Warning);
    }

    /// <summary>Larger than a thumbnail, so the check reads the shrunk copy ingest decodes anyway (the file is decoded once).</summary>
    [Fact]
    public async Task ALargeFile_IsJudgedOnItsThumbnail_ACutOutPasses_AnOpaqueOneIsWarned()
    {
        const int size = 1536;
        var opaque = new byte[size * size * 4];
        var cutOut = new byte[size * size * 4];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var i = (y * size + x) * 4;
                opaque[i] = (byte)x; opaque[i + 1] = (byte)y; opaque[i + 2] = 90; opaque[i + 3] = 255;
                // A disc on a clear ground, as a transparent icon is.
                var inside = (x - size / 2) * (x - size / 2) + (y - size / 2) * (y - size / 2) < size * size / 9;
                cutOut[i] = 200; cutOut[i + 1] = 60; cutOut[i + 2] = 20; cutOut[i + 3] = inside ? (byte)255 : (byte)0;
            }
        }
        var opaquePng = ImageEncoder.EncodePixels(opaque, size, size, 4, ImageFormats.Png, null);
        var cutOutPng = ImageEncoder.EncodePixels(cutOut, size, size, 4, ImageFormats.Png, null);
        Assert.True(Thumbnails.LongSide < size);

        using var dir = new TempDirectory("ingest-alpha5");
        Assert.NotNull(Assert.Single(await IngestAsync(dir, opaquePng, Backgrounds.Transparent, size)).Warning);
        using var dir2 = new TempDirectory("ingest-alpha6");
        Assert.Null(Assert.Single(await IngestAsync(dir2, cutOutPng, Backgrounds.Transparent, size)).Warning);
    }
}
