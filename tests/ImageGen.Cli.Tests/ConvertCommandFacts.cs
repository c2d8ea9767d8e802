using System.Text.Json;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Tests;

public sealed class ConvertCommandFacts
{
    private static async Task<string> MakeSourceAsync(TempDirectory dir, string name = "source", int width = 800, int height = 600)
    {
        var generated = await ImageGenProcess.RunAsync("generate", "--prompt", "a hillside #2f6b3a #e8c07d", "--seed", "3",
            "--size", $"{width}x{height}", "--out", dir.Combine("gen"));
        Assert.True(generated.ExitCode == 0, generated.StandardError);
        var path = dir.Combine($"{name}.png");
        File.Copy(dir.Combine("gen", "01-seed3.png"), path, overwrite: true);
        return path;
    }

    [Theory]
    [InlineData("jpeg", "jpg")]
    [InlineData("webp", "webp")]
    [InlineData("png", "png")]
    [InlineData("avif", "avif")]
    public async Task Convert_WritesTheRequestedFormat_AtTheSameSize(string format, string extension)
    {
        using var dir = new TempDirectory("convert");
        var source = await MakeSourceAsync(dir);

        var result = await ImageGenProcess.RunAsync("convert", source, "--to", format, "--out", dir.Combine("out"));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal((format, 800, 600), ImageEncoder.Probe(dir.Combine("out", $"source.{extension}")));
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("webp")]
    public async Task Convert_Quality_ChangesTheEncoding(string format)
    {
        using var dir = new TempDirectory("convert");
        var source = await MakeSourceAsync(dir);

        await ImageGenProcess.RunAsync("convert", source, "--to", format, "--quality", "20", "--out", dir.Combine("low"));
        await ImageGenProcess.RunAsync("convert", source, "--to", format, "--quality", "95", "--out", dir.Combine("high"));

        var name = $"source.{ImageFormats.Extension(format)}";
        var low = new FileInfo(dir.Combine("low", name)).Length;
        var high = new FileInfo(dir.Combine("high", name)).Length;
        Assert.True(low * 1.5 < high, $"quality 20 gave {low} bytes, quality 95 gave {high}");
    }

    [Fact]
    public async Task Convert_MaxSize_FitsTheBoxKeepingTheAspectRatio_AndNeverEnlarges()
    {
        using var dir = new TempDirectory("convert");
        var large = await MakeSourceAsync(dir, "large", 1200, 600);
        var small = await MakeSourceAsync(dir, "small", 100, 80);

        var result = await ImageGenProcess.RunAsync("convert", large, small, "--to", "webp", "--max-size", "384", "--out", dir.Combine("out"), "--json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(("webp", 384, 192), ImageEncoder.Probe(dir.Combine("out", "large.webp")));
        Assert.Equal(("webp", 100, 80), ImageEncoder.Probe(dir.Combine("out", "small.webp")));
        var converted = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("converted");
        Assert.Equal(2, converted.GetArrayLength());
    }

    [Fact]
    public async Task Convert_KeepsTheProvenanceXmp()
    {
        using var dir = new TempDirectory("convert");
        var source = await MakeSourceAsync(dir);

        await ImageGenProcess.RunAsync("convert", source, "--to", "webp", "--out", dir.Combine("out"));

        using var image = NetVips.Image.NewFromFile(dir.Combine("out", "source.webp"));
        Assert.Contains("a hillside", System.Text.Encoding.UTF8.GetString((byte[])image.Get("xmp-data")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_ACorruptInput_FailsAlone_WithItsNameInTheMessage()
    {
        using var dir = new TempDirectory("convert");
        var good = await MakeSourceAsync(dir);
        var corrupt = dir.Combine("corrupt.png");
        await File.WriteAllBytesAsync(corrupt, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3], TestContext.Current.CancellationToken);
        var missing = dir.Combine("missing.png");

        var result = await ImageGenProcess.RunAsync("convert", corrupt, good, missing, "--to", "jpeg", "--out", dir.Combine("out"), "--json");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"'{corrupt}' is not a readable image", result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"'{missing}' does not exist", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(("jpeg", 800, 600), ImageEncoder.Probe(dir.Combine("out", "source.jpg")));
        Assert.False(File.Exists(dir.Combine("out", "corrupt.jpg")));
        var failed = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("failed");
        Assert.Equal(2, failed.GetArrayLength());
    }

    [Theory]
    [InlineData("--quality", "0", "--quality 0 is out of range")]
    [InlineData("--quality", "101", "--quality 101 is out of range")]
    [InlineData("--max-size", "4", "--max-size 4 is out of range")]
    public async Task Convert_BadOptions_AreUsageErrors(string option, string value, string message)
    {
        using var dir = new TempDirectory("convert");

        var result = await ImageGenProcess.RunAsync("convert", "x.png", "--to", "webp", option, value, "--out", dir.Path);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }
}
