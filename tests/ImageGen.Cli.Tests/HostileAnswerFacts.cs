using ImageGen.Core.Generation;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Tests;

/// <summary>
/// Provider answers and input files that are not what they should be: each fails the attempt fast, in one readable
/// sentence (never a stack trace), and writes no image.
/// </summary>
public sealed class HostileAnswerFacts
{
    private static object OpenAiImage(string b64) => new { created = 1, data = new[] { new { b64_json = b64 } } };

    public static TheoryData<string, object, string> Answers => new()
    {
        { "openai/gpt-image-2", OpenAiImage("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mN") /* cut to 59 characters */, "OpenAI answered image data that is not valid base64" },
        { "openai/gpt-image-2", OpenAiImage(Convert.ToBase64String(HostileImages.Truncated(HostileImages.NoisyPng(256, 256)))), "The model's image is incomplete or damaged (" },
        { "openai/gpt-image-2", OpenAiImage(Convert.ToBase64String(HostileImages.DecompressionBomb(30_000, 30_000))), "The model's image declares 30000×30000 pixels (900 megapixels); the limit is 50 megapixels and 16384 pixels a side." },
        { "compat/default", new { data = new[] { new { url = "file:///etc/passwd" } } }, "The compatible server answered an image URL with the scheme 'file'; only http and https URLs are fetched." },
        { "compat/default", new { data = new[] { new { url = "gopher://127.0.0.1:70/x" } } }, "The compatible server answered an image URL with the scheme 'gopher'" },
        { "compat/default", new { data = new[] { new { b64_json = Convert.ToBase64String("<html>upstream error</html>"u8.ToArray()) } } }, "The model's image is not a readable image (" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task HostileAnswer_FailsWithASentence_AndWritesNoImage(string model, object answer, string message)
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(answer));
        using var dir = new TempDirectory("hostile");
        var environment = new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = "sk-test-hostile-0000000000", ["OPENAI_BASE_URL"] = provider.Url, ["IMAGEGEN_COMPAT_BASE_URL"] = provider.Url,
        };

        var result = await ImageGenProcess.RunWithAsync(environment, ["generate", "--prompt", "a cup", "--model", model, "--out", dir.Path, "--json"]);

        Assert.Equal(ExitCodes.Permanent, result.ExitCode);
        var error = CliError.TryParse(result.StandardOutput)!;
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal); // no stack trace anywhere
        Assert.Empty(Directory.EnumerateFiles(dir.Path));
    }

    [Fact]
    public async Task Convert_OfADecompressionBomb_FailsAtOnce_WithTheLimit()
    {
        using var dir = new TempDirectory("bomb");
        var bomb = dir.Combine("bomb.png");
        await File.WriteAllBytesAsync(bomb, HostileImages.DecompressionBomb(30_000, 30_000), TestContext.Current.CancellationToken);

        var result = await ImageGenProcess.RunAsync("convert", bomb, "--to", "jpeg", "--out", dir.Combine("out"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"imagegen: error: '{bomb}' declares 30000×30000 pixels (900 megapixels); the limit is 50 megapixels and 16384 pixels a side.", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("out")) && Directory.EnumerateFiles(dir.Combine("out")).Any());
    }

    [Fact]
    public async Task Convert_OfATruncatedFile_SaysItIsIncomplete()
    {
        using var dir = new TempDirectory("cut");
        var cut = dir.Combine("cut.png");
        await File.WriteAllBytesAsync(cut, HostileImages.Truncated(HostileImages.NoisyPng(256, 256)), TestContext.Current.CancellationToken);

        var result = await ImageGenProcess.RunAsync("convert", cut, "--to", "webp", "--out", dir.Combine("out"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("it is incomplete or damaged (", result.StandardError, StringComparison.Ordinal);
    }
}
