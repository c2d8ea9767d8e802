using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Tests;

/// <summary><c>imagegen generate --spec</c>: the document the worker hands the CLI, and the flags people type, are one job.</summary>
public sealed class SpecFileFacts
{
    [Fact]
    public async Task ASpecFile_AndTheSameFlags_WriteTheSameFiles_AndTheManifestEchoesTheSpec()
    {
        using var dir = new TempDirectory("cli-spec");
        var reference = dir.Combine("style.png");
        await File.WriteAllBytesAsync(reference, ImageEncoder.EncodeRgb(Enumerable.Repeat((byte)200, 32 * 32 * 3).ToArray(), 32, 32, ImageFormats.Png, null));
        var spec = new JobSpec
        {
            Model = "offline/procedural", Prompt = "a lighthouse #224466 #f0c040", Count = 2, Size = "160x96", Format = "webp", Seed = 11,
            // A relative path in a spec is read from the spec file's folder.
            References = [InputFile.Unpinned("style.png")],
            Origin = new JobOrigin { WorkItemId = 4, Adjustment = "warmer" },
        };
        await File.WriteAllTextAsync(dir.Combine("job.json"), spec.ToJson(indented: true));

        var fromSpec = await ImageGenProcess.RunAsync("generate", "--spec", dir.Combine("job.json"), "--out", dir.Combine("a"), "--json");
        var fromFlags = await ImageGenProcess.RunAsync("generate", "--prompt", spec.Prompt, "--count", "2", "--size", "160x96", "--format", "webp",
            "--seed", "11", "--reference", reference, "--out", dir.Combine("b"), "--json");

        Assert.True(fromSpec.ExitCode == 0, fromSpec.StandardError);
        Assert.True(fromFlags.ExitCode == 0, fromFlags.StandardError);
        var a = GenerateManifest.FromJson(fromSpec.StandardOutput);
        var b = GenerateManifest.FromJson(fromFlags.StandardOutput);
        Assert.Equal(2, a.Images.Count);
        foreach (var (x, y) in a.Images.Zip(b.Images))
        {
            Assert.Equal(await File.ReadAllBytesAsync(x.Path), await File.ReadAllBytesAsync(y.Path));
        }
        // The echo is the spec as it ran: the reference pinned to the hash that was read, the origin kept.
        var echoed = a.Spec!;
        var sha = a.Inputs!.Single().Sha256;
        Assert.Equal((sha, "png", "warmer"), (echoed.References!.Single().Sha256, echoed.References!.Single().Format, echoed.Origin!.Adjustment!));
        Assert.Equal(sha, b.Spec!.References!.Single().Sha256);
        Assert.Equal(spec with { References = echoed.References, Origin = null }, b.Spec with { References = echoed.References, Origin = null });
    }

    [Fact]
    public async Task AnInputThatIsNotTheFileTheSpecPinned_IsRefused_BeforeAnythingIsMade()
    {
        using var dir = new TempDirectory("cli-spec");
        await File.WriteAllBytesAsync(dir.Combine("logo.png"), ImageEncoder.EncodeRgb(new byte[16 * 16 * 3], 16, 16, ImageFormats.Png, null));
        var spec = new JobSpec
        {
            Model = "offline/procedural", Prompt = "an icon",
            References = [new InputFile("logo.png", new string('a', 64), "png", "logo.png")],
        };
        await File.WriteAllTextAsync(dir.Combine("job.json"), spec.ToJson());

        var result = await ImageGenProcess.RunAsync("generate", "--spec", dir.Combine("job.json"), "--out", dir.Combine("out"), "--json");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("is not the file the spec names", CliError.TryParse(result.StandardOutput)!.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    [Theory]
    [InlineData("""{"version":1,"model":"offline/procedural","prompt":"x","count":9}""", "out of range: 1–8")]
    [InlineData("""{"version":1,"model":"offline/procedural","prompt":"x","format":"gif"}""", "The format is 'gif'")]
    [InlineData("""{"version":1,"model":"offline/procedural","prompt":"x","background":"purple"}""", "The background is 'purple'")]
    [InlineData("""{"version":1,"model":"offline/procedural","prompt":"x","quality":"ultra"}""", "The quality is 'ultra'")]
    [InlineData("""{"version":1,"model":"offline/procedural","prompt":"x","seed":-1}""", "The seed is -1")]
    [InlineData("""{"version":1,"kind":"render","model":"offline/procedural","prompt":"x"}""", "The spec's kind is 'render'")]
    [InlineData("""{"version":7,"model":"offline/procedural","prompt":"x"}""", "is not a job spec: The job spec is version 7")]
    [InlineData("""{"version":1,"model":"offline/procedural","prompt":"x",""", "is not a job spec")]
    public async Task ABadSpec_IsAUsageError_SayingWhat(string json, string message)
    {
        using var dir = new TempDirectory("cli-spec");
        await File.WriteAllTextAsync(dir.Combine("job.json"), json);

        var result = await ImageGenProcess.RunAsync("generate", "--spec", dir.Combine("job.json"), "--out", dir.Combine("out"), "--json");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(message, CliError.TryParse(result.StandardOutput)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASpecWithFlagsBesideIt_IsRefused_NamingThem()
    {
        using var dir = new TempDirectory("cli-spec");
        await File.WriteAllTextAsync(dir.Combine("job.json"), new JobSpec { Model = "offline/procedural", Prompt = "x" }.ToJson());

        var result = await ImageGenProcess.RunAsync("generate", "--spec", dir.Combine("job.json"), "--count", "2", "--seed", "3", "--out", dir.Combine("out"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--spec says everything about the job; leave out --count, --seed.", result.StandardError, StringComparison.Ordinal);
    }
}
