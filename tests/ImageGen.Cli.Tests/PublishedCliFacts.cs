using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Testing;

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
