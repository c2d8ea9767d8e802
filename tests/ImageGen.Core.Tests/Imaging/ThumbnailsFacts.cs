using ImageGen.Core.Imaging;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Imaging;

public sealed class ThumbnailsFacts
{
    [Theory]
    [InlineData(1024, 512, 768, 384)]
    [InlineData(600, 1200, 384, 768)]
    [InlineData(200, 100, 200, 100)] // never enlarged
    public void Create_FitsTheLongSideTo768_AsWebp(int width, int height, int thumbWidth, int thumbHeight)
    {
        using var dir = new TempDirectory("thumbs");
        var source = dir.Combine("image.png");
        File.WriteAllBytes(source, ImageEncoder.EncodeRgb(ProceduralRenderer.Render("thumb", 1, width, height), width, height, ImageFormats.Png, null));

        var thumbnail = Thumbnails.Create(source, dir.Combine(Thumbnails.Folder));

        Assert.Equal(dir.Combine("thumbs", "image.webp"), thumbnail);
        Assert.Equal((ImageFormats.Webp, thumbWidth, thumbHeight), ImageEncoder.Probe(thumbnail));
    }
}
