using System.Text.Json;
using CliWrap.Buffered;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Testing;
using Microsoft.AspNetCore.Http;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Tests;

/// <summary>The real CLI against fake provider servers on loopback: requests as documented, answers decoded, errors mapped.</summary>
public sealed class ProviderFacts
{
    private const string OpenAiKey = "sk-test-0123456789abcdef";
    private const string GeminiKey = "AIza-test-0123456789";

    private static Task<BufferedCommandResult> GenerateAsync(FakeProvider provider, string model, TempDirectory dir, params string[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = OpenAiKey, ["OPENAI_BASE_URL"] = provider.Url,
            ["GEMINI_API_KEY"] = GeminiKey, ["GEMINI_BASE_URL"] = provider.Url,
            ["IMAGEGEN_COMPAT_BASE_URL"] = provider.Url,
        };
        return ImageGenProcess.RunWithAsync(environment, ["generate", "--prompt", "a cup of coffee", "--model", model, "--out", dir.Path, "--json", .. extra]);
    }

    private static object OpenAiImages(int count) => new { created = 1, data = Enumerable.Range(0, count).Select(_ => new { b64_json = Convert.ToBase64String(FakeProvider.Png) }).ToArray() };

    private static object OpenAiError(string code, string message, string type = "invalid_request_error") => new { error = new { message, type, param = (string?)null, code } };

    [Fact]
    public async Task OpenAi_SendsTheDocumentedRequest_AndTheImagesAreResizedAndConvertedToTheRequest()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(OpenAiImages(2)));
        using var dir = new TempDirectory("openai");

        var result = await GenerateAsync(provider, "openai/gpt-image-2", dir, "--count", "2", "--size", "640x360", "--format", "webp");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var request = Assert.Single(provider.Requests);
        Assert.Equal("/v1/images/generations", request.Path);
        Assert.Equal($"Bearer {OpenAiKey}", request.Headers["authorization"]);
        Assert.Equal("gpt-image-2", request.Body.GetProperty("model").GetString());
        Assert.StartsWith("a cup of coffee", request.Body.GetProperty("prompt").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, request.Body.GetProperty("n").GetInt32());
        // 640x360 is under gpt-image-2's pixel budget: the nearest size it makes, same shape, sides divisible by 16.
        Assert.Equal("1088x608", request.Body.GetProperty("size").GetString());
        Assert.Equal("webp", request.Body.GetProperty("output_format").GetString());
        var manifest = GenerateManifest.FromJson(result.StandardOutput);
        Assert.Equal("openai/gpt-image-2", manifest.Model);
        Assert.Equal(2, manifest.Images.Count);
        foreach (var image in manifest.Images)
        {
            Assert.Equal(("webp", 640, 360), ImageEncoder.Probe(image.Path));
            Assert.Equal("resized from 64x48; converted from png; the provider's file is kept beside it", image.Note);
            Assert.Equal(FakeProvider.Png, File.ReadAllBytes(Path.Combine(dir.Path, image.Original!)));
            Assert.Null(image.Seed); // GPT image models take no seed
        }
        Assert.Equal("1088x608", manifest.Provider!.SentSize);
        Assert.Equal("seed not supported", manifest.Provider!.SeedNote);
        Assert.Null(manifest.Settings.Seed);
        foreach (var image in manifest.Images)
        {
        }
        Assert.DoesNotContain(OpenAiKey, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    public static TheoryData<int, object, string?, int, string, double?> OpenAiErrors => new()
    {
        { 401, OpenAiError("invalid_api_key", "Incorrect API key provided."), null, ExitCodes.Permanent, "invalid_api_key", null },
        { 400, OpenAiError("moderation_blocked", "Your request was rejected by the safety system: violence.", "image_generation_user_error"), null, ExitCodes.Permanent, "rejected by the safety system", null },
        { 429, OpenAiError("insufficient_quota", "You exceeded your current quota."), null, ExitCodes.Permanent, "insufficient_quota", null },
        { 429, OpenAiError("rate_limit_exceeded", "Rate limit reached."), "1500", ExitCodes.Transient, "rate_limit_exceeded", 1.5 },
        { 503, OpenAiError("server_error", "The server is overloaded."), null, ExitCodes.Transient, "overloaded", null },
    };

    [Theory]
    [MemberData(nameof(OpenAiErrors))]
    public async Task OpenAi_Errors_MapToTheRightExitCodeMessageAndRetryHint(int status, object body, string? retryAfterMs, int exitCode, string message, double? retryAfterSeconds)
    {
        var headers = retryAfterMs is null ? null : new Dictionary<string, string> { ["retry-after-ms"] = retryAfterMs };
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(body, status, headers));
        using var dir = new TempDirectory("openai");

        var result = await GenerateAsync(provider, "openai/gpt-image-2", dir);

        Assert.Equal(exitCode, result.ExitCode);
        var error = CliError.TryParse(result.StandardOutput)!;
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(retryAfterSeconds, error.RetryAfterSeconds);
        Assert.DoesNotContain(OpenAiKey, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(dir.Path));
    }

    [Fact]
    public async Task Gemini_MakesOneCallPerImage_WithImageConfigInsideGenerationConfig_AndSkipsThoughts()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(new
        {
            candidates = new[]
            {
                new
                {
                    content = new { parts = new object[]
                    {
                        new { text = "thinking", thought = true },
                        new { inlineData = new { mimeType = "image/jpeg", data = Convert.ToBase64String(FakeProvider.Jpeg) } },
                    } },
                    finishReason = "STOP",
                },
            },
        }));
        using var dir = new TempDirectory("gemini");

        var result = await GenerateAsync(provider, "google/gemini-3.1-flash-image", dir, "--count", "2", "--aspect-ratio", "16:9");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(2, provider.Requests.Count);
        var request = provider.Requests.First();
        Assert.Equal("/v1beta/models/gemini-3.1-flash-image:generateContent", request.Path);
        Assert.Equal(GeminiKey, request.Headers["x-goog-api-key"]);
        var config = request.Body.GetProperty("generationConfig");
        Assert.Equal(["TEXT", "IMAGE"], config.GetProperty("responseModalities").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("16:9", config.GetProperty("imageConfig").GetProperty("aspectRatio").GetString());
        Assert.Equal("1K", config.GetProperty("imageConfig").GetProperty("imageSize").GetString());
        Assert.Equal("16:9 at 1K", GenerateManifest.FromJson(result.StandardOutput).Provider!.SentSize);
        Assert.False(request.Body.TryGetProperty("imageConfig", out _));
        Assert.Equal("a cup of coffee", request.Body.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString());
        var manifest = GenerateManifest.FromJson(result.StandardOutput);
        Assert.All(manifest.Images, i =>
        {
            Assert.Equal(("png", 1024, 576), ImageEncoder.Probe(i.Path));
            Assert.Equal("resized from 64x64; converted from jpeg; the provider's file is kept beside it", i.Note);
        });
    }

    public static TheoryData<int, object, int, string, double?> GeminiErrors => new()
    {
        { 400, new { error = new { code = 400, message = "API key not valid. Please pass a valid API key.", status = "INVALID_ARGUMENT",
            details = new object[] { new Dictionary<string, object> { ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo", ["reason"] = "API_KEY_INVALID" } } } },
          ExitCodes.Permanent, "API_KEY_INVALID", null },
        { 200, new { candidates = new[] { new { finishReason = "IMAGE_SAFETY" } } }, ExitCodes.Permanent, "refused to make the image: IMAGE_SAFETY", null },
        { 200, new { promptFeedback = new { blockReason = "PROHIBITED_CONTENT" } }, ExitCodes.Permanent, "refused the prompt: PROHIBITED_CONTENT", null },
        { 429, new { error = new { code = 429, message = "Resource has been exhausted.", status = "RESOURCE_EXHAUSTED",
            details = new object[] { new Dictionary<string, object> { ["@type"] = "type.googleapis.com/google.rpc.RetryInfo", ["retryDelay"] = "59s" } } } },
          ExitCodes.Transient, "RESOURCE_EXHAUSTED", 59 },
    };

    [Theory]
    [MemberData(nameof(GeminiErrors))]
    public async Task Gemini_ErrorsAndRefusals_MapToTheRightExitCodeMessageAndRetryHint(int status, object body, int exitCode, string message, double? retryAfterSeconds)
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(body, status));
        using var dir = new TempDirectory("gemini");

        var result = await GenerateAsync(provider, "google/gemini-3.1-flash-image", dir);

        Assert.Equal(exitCode, result.ExitCode);
        var error = CliError.TryParse(result.StandardOutput)!;
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(retryAfterSeconds, error.RetryAfterSeconds);
        Assert.DoesNotContain(GeminiKey, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compat_AsksForBase64_SendsOnlyCommonFields_AndFetchesAReturnedUrl()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(new { data = new[] { new { url = "/files/out.png" } } }));
        using var dir = new TempDirectory("compat");

        var result = await GenerateAsync(provider, "compat/sdxl", dir, "--size", "256x256");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var request = Assert.Single(provider.Requests);
        Assert.Equal("/v1/images/generations", request.Path);
        Assert.Equal(["model", "n", "prompt", "response_format", "size"], request.Body.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("b64_json", request.Body.GetProperty("response_format").GetString());
        Assert.Equal("sdxl", request.Body.GetProperty("model").GetString());
        Assert.False(request.Headers.ContainsKey("authorization"));
        Assert.Equal(("png", 256, 256), ImageEncoder.Probe(Assert.Single(GenerateManifest.FromJson(result.StandardOutput).Images).Path));
    }

    [Theory]
    [InlineData(422, """{"detail":[{"loc":["body","prompt"],"msg":"field required","type":"value_error.missing"}]}""", ExitCodes.Permanent, "field required")]
    [InlineData(503, """{"detail":"model is loading"}""", ExitCodes.Transient, "model is loading")]
    [InlineData(400, """{"error":{"message":"size must be a multiple of 64","code":"invalid_size"}}""", ExitCodes.Permanent, "multiple of 64")]
    public async Task Compat_BothErrorShapes_AreReadAndMapped(int status, string body, int exitCode, string message)
    {
        await using var provider = await FakeProvider.StartAsync(_ => Results.Text(body, "application/json", statusCode: status));
        using var dir = new TempDirectory("compat");

        var result = await GenerateAsync(provider, "compat/default", dir);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(message, CliError.TryParse(result.StandardOutput)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compat_ServerNotListening_IsATransientFailure()
    {
        var port = ImageGen.Testing.Ports.Closed();
        using var dir = new TempDirectory("compat");

        var result = await ImageGenProcess.RunWithAsync(new Dictionary<string, string?> { ["IMAGEGEN_COMPAT_BASE_URL"] = $"http://127.0.0.1:{port}" },
            "generate", "--prompt", "x", "--model", "compat/default", "--out", dir.Path, "--json");

        Assert.Equal(ExitCodes.Transient, result.ExitCode);
        Assert.Contains("could not be reached", CliError.TryParse(result.StandardOutput)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_ListsEveryProvider_WithTheReasonWhenUnavailable()
    {
        var result = await ImageGenProcess.RunWithAsync(new Dictionary<string, string?> { ["OPENAI_API_KEY"] = OpenAiKey, ["GEMINI_API_KEY"] = null, ["IMAGEGEN_COMPAT_BASE_URL"] = null },
            "models", "--json");

        var models = JsonDocument.Parse(result.StandardOutput).RootElement.EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.True(models["openai/gpt-image-2"].GetProperty("available").GetBoolean());
        Assert.False(models["google/gemini-3.1-flash-image"].GetProperty("available").GetBoolean());
        Assert.Equal("GEMINI_API_KEY is not set.", models["google/gemini-3.1-flash-image"].GetProperty("unavailableReason").GetString());
        Assert.Equal("IMAGEGEN_COMPAT_BASE_URL is not set.", models["compat/default"].GetProperty("unavailableReason").GetString());
        Assert.DoesNotContain(OpenAiKey, result.StandardOutput, StringComparison.Ordinal);
    }
}
