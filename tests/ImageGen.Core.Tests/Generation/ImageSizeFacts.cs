using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Generation;

public sealed class ImageSizeFacts
{
    [Theory]
    [InlineData(null, null, 1024, 1024)]
    [InlineData("640x480", null, 640, 480)]
    [InlineData(null, "16:9", 1024, 576)]
    [InlineData(null, "9:16", 576, 1024)]
    [InlineData("1920x1080", "16:9", 1920, 1080)]
    [InlineData("4096x4096", null, 4096, 4096)]
    public void Resolve_ValidInput_GivesTheSize(string? size, string? ratio, int width, int height)
    {
        Assert.Equal(new ImageSize(width, height), ImageSize.Resolve(size, ratio));
    }

    [Theory]
    [InlineData("1024", null, "not WIDTHxHEIGHT")]
    [InlineData("4097x100", null, "out of range")]
    [InlineData("8x8", null, "out of range")]
    [InlineData(null, "16/9", "not W:H")]
    [InlineData(null, "0:1", "not W:H")]
    [InlineData("1024x1024", "16:9", "does not match")]
    public void Resolve_BadInput_IsAUsageErrorNamingTheProblem(string? size, string? ratio, string message)
    {
        var error = Assert.Throws<ImageGenException>(() => ImageSize.Resolve(size, ratio));
        Assert.Equal(ErrorKind.Usage, error.Kind);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AspectRatio_IsReduced()
    {
        Assert.Equal("16:9", new ImageSize(1920, 1080).AspectRatio);
    }
}
