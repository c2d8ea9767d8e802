using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Tests;

/// <summary>
/// The CLI these tests start is the one the worker runs: published by build/ImageGenCli.targets with Native AOT where a
/// C toolchain is present, with ReadyToRun otherwise, and the same in what it prints as the code run in-process.
/// </summary>
public sealed class PublishedCliFacts
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheCliIsPublishedWithNativeAot_WhereTheToolchainIs()
    {
        var compiler = await CliWrap.Cli.Wrap("bash").WithArguments([Path.Combine(RepoPaths.Root, "build", "find-aot-compiler.sh")])
            .ExecuteBufferedAsync(Cancel);

        Assert.Equal(compiler.StandardOutput.Trim().Length > 0 ? "aot" : "r2r", RepoPaths.CliPublishMode);
        Assert.True(File.Exists(RepoPaths.Cli), $"no published CLI at {RepoPaths.Cli}");
    }

    [Fact]
    public async Task ModelsJson_FromThePublishedBinary_IsTheRegistryItself()
    {
        // Reflection-based JSON is off under Native AOT: without the source-generated shapes this came out as [{}, …].
        var result = await ImageGenProcess.RunAsync("models", "--json");

        Assert.Equal(0, result.ExitCode);
        var printed = JsonDocument.Parse(result.StandardOutput).RootElement.EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(ModelRegistry.CreateDefault(ProviderSettings.FromEnvironment()).List().Select(m => m.Id), printed);
        Assert.All(JsonDocument.Parse(result.StandardOutput).RootElement.EnumerateArray(), m => Assert.True(m.GetProperty("capabilities").EnumerateObject().Any()));
    }

    [Fact]
    public async Task DbCopy_SaysWhereToRunIt_WhenTheBuildIsNative()
    {
        using var empty = new TempDirectory("cli-db");

        var result = await ImageGenProcess.RunAsync("db", "copy", "--from", $"sqlite:{empty.Path}", "--to", $"sqlite:{empty.Path}-target");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(RepoPaths.CliPublishMode == "aot"
            ? "db copy is not part of the native build of imagegen"
            : "there is no ImageGen database", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists($"{empty.Path}-target"));
    }
}

/// <summary><c>IMAGEGEN_PNG_COMPRESSION</c>: zlib's level of the PNGs written, 0–9, default 4 (measured: BENCHMARKS.md).</summary>
public sealed class PngCompressionFacts
{
    private static async Task<long> BytesAtAsync(string? level)
    {
        using var dir = new TempDirectory("cli-png");
        var result = await ImageGenProcess.RunWithAsync(new Dictionary<string, string?> { ["IMAGEGEN_PNG_COMPRESSION"] = level },
            "generate", "--prompt", "a lighthouse #224466 #f0c040", "--seed", "7", "--count", "1", "--size", "512x512", "--out", dir.Path, "--json");
        Assert.Equal(0, result.ExitCode);
        return new FileInfo(Directory.GetFiles(dir.Path, "*.png").Single()).Length;
    }

    [Fact]
    public async Task TheLevel_TradesSizeForTime_AndTheDefaultIsFour()
    {
        var fastest = await BytesAtAsync("1");
        var smallest = await BytesAtAsync("9");
        var unset = await BytesAtAsync(null);

        Assert.True(fastest > smallest, $"level 1 wrote {fastest} bytes, level 9 {smallest}");
        Assert.Equal(await BytesAtAsync("4"), unset);
        Assert.Equal(4, ImageGen.Core.Imaging.ImageEncoder.DefaultPngCompression);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("-1")]
    [InlineData("fast")]
    public async Task ALevelOutside0To9_IsAUsageErrorNamingTheVariable(string level)
    {
        using var dir = new TempDirectory("cli-png");
        var result = await ImageGenProcess.RunWithAsync(new Dictionary<string, string?> { ["IMAGEGEN_PNG_COMPRESSION"] = level },
            "generate", "--prompt", "x", "--out", dir.Path);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("IMAGEGEN_PNG_COMPRESSION", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
