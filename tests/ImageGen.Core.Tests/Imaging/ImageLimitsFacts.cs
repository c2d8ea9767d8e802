using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Imaging;

/// <summary>Hostile image data is refused from its bytes and header, before any pixel is decoded, with a readable reason.</summary>
public sealed class ImageLimitsFacts
{
    private static readonly Provenance Provenance = new("a cup", "openai/gpt-image-2", 1, 64, 64, ImageFormats.Png, "test");

    [Fact]
    public void TheDocumentedLimits_AreTheOnesEnforced()
    {
        Assert.Equal(64L * 1024 * 1024, ImageLimits.MaxBytes);
        Assert.Equal(50_000_000, ImageLimits.MaxPixels);
        Assert.Equal(16_384, ImageLimits.MaxSide);
        Assert.Equal("64 MiB, 50 megapixels, 16384 pixels a side", ImageLimits.Describe);
    }

    [Theory]
    [InlineData(30_000, 30_000)] // 900 megapixels declared in a few hundred bytes
    [InlineData(20_000, 16)]     // a side past the limit
    [InlineData(8_000, 7_000)]   // 56 megapixels
    public void DecompressionBomb_IsRefusedFromItsHeader(int width, int height)
    {
        var bomb = HostileImages.DecompressionBomb(width, height);
        Assert.True(bomb.Length < 1_000);

        var e = Assert.Throws<ImageGenException>(() => ImageFinisher.Finish(bomb, new ImageSize(64, 64), ImageFormats.Png, Provenance));

        Assert.Equal(ErrorKind.Permanent, e.Kind);
        Assert.Equal($"The model's image declares {width}×{height} pixels ({(long)width * height / 1_000_000.0:0.#} megapixels); the limit is 50 megapixels and 16384 pixels a side.", e.Message);
    }

    [Fact]
    public void TruncatedPng_FailsAsIncomplete_NeverAsABlackImage()
    {
        var cut = HostileImages.Truncated(HostileImages.NoisyPng(256, 256));

        var e = Assert.Throws<ImageGenException>(() => ImageFinisher.Finish(cut, new ImageSize(64, 64), ImageFormats.Png, Provenance));

        Assert.Equal(ErrorKind.Permanent, e.Kind);
        Assert.StartsWith("The model's image is incomplete or damaged (", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotAnImage_SaysSo()
    {
        var e = Assert.Throws<ImageGenException>(() => ImageFinisher.Finish("<html>502 Bad Gateway</html>"u8.ToArray(), new ImageSize(64, 64), ImageFormats.Png, Provenance));
        Assert.StartsWith("The model's image is not a readable image (", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIntactImage_StillFinishes()
    {
        var finished = ImageFinisher.Finish(HostileImages.NoisyPng(128, 96), new ImageSize(64, 48), ImageFormats.Webp, Provenance);
        Assert.NotEmpty(finished.Bytes);
        Assert.Equal("resized from 128x96; converted from png; the provider's file is kept beside it", finished.Note);
    }

    [Fact]
    public void Probe_OfABombOnDisk_IsRefused_AsIngestAndThumbnailsUseIt()
    {
        using var dir = new TempDirectory("limits");
        var file = dir.Combine("01-seed1.png");
        File.WriteAllBytes(file, HostileImages.DecompressionBomb(30_000, 30_000));

        Assert.Throws<ImageRejectedException>(() => ImageEncoder.Probe(file));
        Assert.Throws<ImageRejectedException>(() => Thumbnails.Create(file, dir.Combine("thumbs")));
        Assert.Throws<ImageRejectedException>(() => ProvenanceReader.Read(file));
    }
}
