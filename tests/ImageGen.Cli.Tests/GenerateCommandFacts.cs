using System.Text.Json;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Tests;

public sealed class GenerateCommandFacts
{
    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    [InlineData("webp")]
    public async Task Generate_EqualInputs_WriteByteIdenticalFiles(string format)
    {
        using var dir = new TempDirectory("cli");
        string[] common = ["generate", "--prompt", "a lighthouse #224466 #f0c040", "--seed", "11", "--size", "320x200", "--format", format, "--count", "2"];

        var first = await ImageGenProcess.RunAsync([.. common, "--out", dir.Combine("a")]);
        var second = await ImageGenProcess.RunAsync([.. common, "--out", dir.Combine("b")]);

        Assert.True(first.ExitCode == 0, first.StandardError);
        Assert.True(second.ExitCode == 0, second.StandardError);
        var files = Directory.GetFiles(dir.Combine("a")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(3, files.Count); // two images and the sidecar
        foreach (var file in files)
        {
            Assert.Equal(await File.ReadAllBytesAsync(dir.Combine("a", file!)), await File.ReadAllBytesAsync(dir.Combine("b", file!)));
        }
    }

    [Fact]
    public async Task Generate_DifferentSeeds_WriteDifferentImages()
    {
        using var dir = new TempDirectory("cli");

        await ImageGenProcess.RunAsync("generate", "--prompt", "a lighthouse", "--seed", "1", "--size", "128x128", "--out", dir.Combine("a"));
        await ImageGenProcess.RunAsync("generate", "--prompt", "a lighthouse", "--seed", "2", "--size", "128x128", "--out", dir.Combine("b"));

        Assert.NotEqual(await File.ReadAllBytesAsync(dir.Combine("a", "01-seed1.png")), await File.ReadAllBytesAsync(dir.Combine("b", "01-seed2.png")));
    }

    [Theory]
    [InlineData("png", "--size", "640x480", 640, 480)]
    [InlineData("jpeg", "--aspect-ratio", "16:9", 1024, 576)]
    [InlineData("webp", "--size", "300x500", 300, 500)]
    public async Task Generate_DecodedFile_MatchesTheRequestedSizeAndFormat(string format, string sizeOption, string sizeValue, int width, int height)
    {
        using var dir = new TempDirectory("cli");

        var result = await ImageGenProcess.RunAsync("generate", "--prompt", "waves", "--format", format, sizeOption, sizeValue, "--out", dir.Path, "--json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var manifest = GenerateManifest.FromJson(result.StandardOutput);
        var image = Assert.Single(manifest.Images);
        Assert.Equal((format, width, height), ImageEncoder.Probe(image.Path));
        Assert.Equal((format, width, height), (image.Format, image.Width, image.Height));
    }

    [Fact]
    public async Task Generate_Json_PrintsOneManifestWithTheContractShape()
    {
        using var dir = new TempDirectory("cli");

        var result = await ImageGenProcess.RunAsync("generate", "--prompt", "a fox", "--count", "3", "--seed", "100", "--size", "64x32", "--out", dir.Path, "--json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var json = JsonDocument.Parse(result.StandardOutput); // the whole of stdout is one JSON document
        var root = json.RootElement;
        Assert.Equal("offline/procedural", root.GetProperty("model").GetString());
        Assert.Equal("a fox", root.GetProperty("prompt").GetString());
        var settings = root.GetProperty("settings");
        Assert.Equal(64, settings.GetProperty("width").GetInt32());
        Assert.Equal(32, settings.GetProperty("height").GetInt32());
        Assert.Equal("2:1", settings.GetProperty("aspectRatio").GetString());
        Assert.Equal("png", settings.GetProperty("format").GetString());
        Assert.Equal(3, settings.GetProperty("count").GetInt32());
        Assert.Equal(100, settings.GetProperty("seed").GetInt64());
        var images = root.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal([100L, 101L, 102L], images.Select(i => i.GetProperty("seed").GetInt64()));
        foreach (var image in images)
        {
            var path = image.GetProperty("path").GetString()!;
            Assert.Equal(new FileInfo(path).Length, image.GetProperty("bytes").GetInt64());
            Assert.Equal(64, image.GetProperty("width").GetInt32());
            Assert.Equal(32, image.GetProperty("height").GetInt32());
            Assert.Equal("png", image.GetProperty("format").GetString());
        }
        Assert.Contains("wrote", result.StandardError, StringComparison.Ordinal); // progress goes to stderr

        var sidecar = GenerateManifest.FromJson(await File.ReadAllTextAsync(dir.Combine(GenerateManifest.SidecarFileName)));
        Assert.Equal(images.Select(i => Path.GetFileName(i.GetProperty("path").GetString())), sidecar.Images.Select(i => i.Path));
    }

    [Fact]
    public async Task Generate_Png_CarriesProvenanceInTextChunks()
    {
        using var dir = new TempDirectory("cli");

        await ImageGenProcess.RunAsync("generate", "--prompt", "provenance test", "--seed", "9", "--size", "64x64", "--out", dir.Path);

        using var image = NetVips.Image.NewFromFile(dir.Combine("01-seed9.png"));
        var parameters = TextChunk(image, "parameters");
        Assert.StartsWith("provenance test\n", parameters, StringComparison.Ordinal);
        Assert.Contains("Seed: 9", parameters, StringComparison.Ordinal);
        var provenance = JsonDocument.Parse(TextChunk(image, "imagegen")).RootElement;
        Assert.Equal("offline/procedural", provenance.GetProperty("model").GetString());
        Assert.Equal(9, provenance.GetProperty("seed").GetInt64());
        Assert.Contains("provenance test", System.Text.Encoding.UTF8.GetString((byte[])image.Get("xmp-data")), StringComparison.Ordinal);
    }

    /// <summary>libvips numbers text chunks in file order (png-comment-N-keyword); find one by its keyword.</summary>
    private static string TextChunk(NetVips.Image image, string keyword) =>
        (string)image.Get(image.GetFields().Single(f => f.StartsWith("png-comment-", StringComparison.Ordinal) && f.EndsWith($"-{keyword}", StringComparison.Ordinal)));

    [Fact]
    public async Task Generate_Webp_CarriesProvenanceInXmp()
    {
        using var dir = new TempDirectory("cli");

        await ImageGenProcess.RunAsync("generate", "--prompt", "xmp <test> & more", "--seed", "3", "--size", "64x64", "--format", "webp", "--out", dir.Path);

        using var image = NetVips.Image.NewFromFile(dir.Combine("01-seed3.webp"));
        var xmp = System.Text.Encoding.UTF8.GetString((byte[])image.Get("xmp-data"));
        Assert.Contains("xmp &lt;test&gt; &amp; more", xmp, StringComparison.Ordinal);
        Assert.Contains("urn:imagegen:provenance:1", xmp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "generate", "--prompt", "x" }, "--out")]
    [InlineData(new[] { "generate", "--out", "OUT" }, "exactly one of --prompt, --prompt-file or --spec")]
    [InlineData(new[] { "generate", "--prompt", "x", "--prompt-file", "p.txt", "--out", "OUT" }, "exactly one of --prompt, --prompt-file or --spec")]
    [InlineData(new[] { "generate", "--prompt", "x", "--model", "nope/model", "--out", "OUT" }, "Unknown model 'nope/model'")]
    [InlineData(new[] { "generate", "--prompt", "x", "--size", "big", "--out", "OUT" }, "Size 'big' is not WIDTHxHEIGHT")]
    [InlineData(new[] { "generate", "--prompt", "x", "--count", "9", "--out", "OUT" }, "--count 9 is out of range")]
    [InlineData(new[] { "generate", "--prompt", "x", "--format", "gif", "--out", "OUT" }, "gif")]
    [InlineData(new[] { "generate", "--prompt-file", "missing.txt", "--out", "OUT" }, "Cannot read --prompt-file")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    public async Task BadArguments_ExitWithCode2AndSayWhatIsWrong(string[] arguments, string message)
    {
        using var dir = new TempDirectory("cli");
        var args = arguments.Select(a => a == "OUT" ? dir.Combine("out") : a == "missing.txt" ? dir.Combine("missing.txt") : a).ToArray();

        var result = await ImageGenProcess.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("out")) && Directory.EnumerateFiles(dir.Combine("out")).Any(), "a usage error wrote files");
    }

    [Fact]
    public async Task BadArguments_WithJson_PrintAnErrorDocument()
    {
        var result = await ImageGenProcess.RunAsync("generate", "--prompt", "x", "--size", "1x1", "--out", Path.GetTempPath(), "--json");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var error = CliError.TryParse(result.StandardOutput);
        Assert.NotNull(error);
        Assert.Equal("usage", error.Kind);
        Assert.Contains("out of range", error.Message, StringComparison.Ordinal);
    }
}
