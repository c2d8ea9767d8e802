using System.Text.Json;
using CliWrap.Buffered;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Testing;
using Microsoft.AspNetCore.Http;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Tests;

/// <summary>
/// The real CLI against one fake server per contract (docs/PROVIDERS.md): base URLs joined like the SDKs', paid requests
/// that are cut off not retried, quotas of zero permanent, usage and cost kept, provider files kept as sent, seeds told
/// truthfully, part-way failures keeping what arrived, and the AUTOMATIC1111 and ComfyUI APIs.
/// </summary>
public sealed class ExactProviderFacts
{
    private static Task<BufferedCommandResult> RunAsync(Dictionary<string, string?> environment, string model, TempDirectory dir, params string[] extra) =>
        ImageGenProcess.RunWithAsync(environment, ["generate", "--prompt", "a cup of coffee", "--model", model, "--out", dir.Path, "--json", .. extra]);

    private static Dictionary<string, string?> OpenAi(string baseUrl) => new() { ["OPENAI_API_KEY"] = "sk-test-exact", ["OPENAI_BASE_URL"] = baseUrl };

    private static Dictionary<string, string?> Gemini(string baseUrl) => new() { ["GEMINI_API_KEY"] = "AIza-test-exact", ["GEMINI_BASE_URL"] = baseUrl };

    private static object OpenAiAnswer(byte[] image, object? usage = null) =>
        new { created = 1, data = new[] { new { b64_json = Convert.ToBase64String(image) } }, usage };

    private static object GeminiAnswer(byte[] image, string responseId = "resp-1") => new
    {
        candidates = new[] { new { content = new { parts = new object[] { new { inlineData = new { mimeType = "image/png", data = Convert.ToBase64String(image) } } } }, finishReason = "STOP" } },
        usageMetadata = new
        {
            promptTokenCount = 12, candidatesTokenCount = 1130, thoughtsTokenCount = 40,
            candidatesTokensDetails = new[] { new { modality = "IMAGE", tokenCount = 1120 }, new { modality = "TEXT", tokenCount = 10 } },
        },
        modelVersion = "gemini-3.1-flash-image-001",
        responseId,
    };

    [Theory]
    [InlineData("openai/gpt-image-2", "/openai/v1", "/openai/v1/images/generations")]
    [InlineData("openai/gpt-image-2", "/v1", "/v1/images/generations")]
    [InlineData("openai/gpt-image-2", "", "/v1/images/generations")]
    [InlineData("google/gemini-3.1-flash-image", "/gateway/google/v1beta", "/gateway/google/v1beta/models/gemini-3.1-flash-image:generateContent")]
    [InlineData("google/gemini-3.1-flash-image", "", "/v1beta/models/gemini-3.1-flash-image:generateContent")]
    [InlineData("compat/default", "/api/v1", "/api/v1/images/generations")]
    [InlineData("compat/default", "/v1/", "/v1/images/generations")]
    [InlineData("a1111/default", "/sd", "/sd/sdapi/v1/txt2img")]
    public async Task BaseUrls_AreJoinedLikeTheSdks_KeepingAPrefix_NeverDoublingTheVersion(string model, string basePath, string expectedPath)
    {
        await using var provider = await FakeProvider.StartAsync(request => request.Path.Contains("generateContent", StringComparison.Ordinal)
            ? FakeProvider.Json(GeminiAnswer(FakeProvider.Png))
            : request.Path.Contains("sdapi", StringComparison.Ordinal)
                ? FakeProvider.Json(new { images = new[] { Convert.ToBase64String(FakeProvider.Png) }, info = "{\"all_seeds\":[5]}" })
                : FakeProvider.Json(OpenAiAnswer(FakeProvider.Png)));
        using var dir = new TempDirectory("base-url");
        var baseUrl = provider.Url.TrimEnd('/') + basePath;
        var environment = new Dictionary<string, string?>(OpenAi(baseUrl).Concat(Gemini(baseUrl)))
        {
            ["IMAGEGEN_COMPAT_BASE_URL"] = baseUrl, ["IMAGEGEN_A1111_BASE_URL"] = baseUrl,
        };

        var result = await RunAsync(environment, model, dir);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(expectedPath, Assert.Single(provider.Requests).Path);
    }

    [Theory]
    [InlineData("openai/gpt-image-2", ExitCodes.Permanent, true)]
    [InlineData("google/gemini-3.1-flash-image", ExitCodes.Permanent, true)]
    [InlineData("compat/default", ExitCodes.Transient, false)]
    public async Task ASlowAnswer_FromAPaidProvider_FailsAsMayHaveBeenBilled_NotRetried_ALocalOneIsTransient(string model, int exitCode, bool billed)
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Delayed(TimeSpan.FromSeconds(5), FakeProvider.Json(OpenAiAnswer(FakeProvider.Png))));
        using var dir = new TempDirectory("slow");
        var environment = new Dictionary<string, string?>(OpenAi(provider.Url).Concat(Gemini(provider.Url)))
        {
            ["IMAGEGEN_COMPAT_BASE_URL"] = provider.Url, ["IMAGEGEN_REQUEST_TIMEOUT"] = "1",
        };

        var result = await RunAsync(environment, model, dir);

        Assert.Equal(exitCode, result.ExitCode);
        var error = CliError.TryParse(result.StandardOutput)!;
        Assert.Contains("did not answer within 1 s (IMAGEGEN_REQUEST_TIMEOUT)", error.Message, StringComparison.Ordinal);
        Assert.Equal(billed, error.Message.Contains("may have been billed", StringComparison.Ordinal));
        Assert.Single(provider.Requests); // one request: nothing was sent twice
    }

    [Fact]
    public async Task AConnectionLostMidResponse_FromAPaidProvider_IsNotRetried()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Abort());
        using var dir = new TempDirectory("aborted");

        var result = await RunAsync(OpenAi(provider.Url), "openai/gpt-image-2", dir);

        Assert.Equal(ExitCodes.Permanent, result.ExitCode);
        Assert.Contains("may have been billed", CliError.TryParse(result.StandardOutput)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConnectionRefused_IsTransient_NothingWasSent()
    {
        var port = FreePort();
        using var dir = new TempDirectory("refused");

        var result = await RunAsync(OpenAi($"http://127.0.0.1:{port}/v1"), "openai/gpt-image-2", dir);

        Assert.Equal(ExitCodes.Transient, result.ExitCode);
        Assert.DoesNotContain("billed", CliError.TryParse(result.StandardOutput)!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("false", 503, ExitCodes.Permanent)]
    [InlineData("true", 400, ExitCodes.Transient)]
    public async Task TheServersRetryHint_XShouldRetry_OverridesTheStatus(string shouldRetry, int status, int exitCode)
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(
            new { error = new { message = "try later", type = "server_error", code = "x" } }, status, new Dictionary<string, string> { ["x-should-retry"] = shouldRetry }));
        using var dir = new TempDirectory("should-retry");

        var result = await RunAsync(OpenAi(provider.Url), "openai/gpt-image-2", dir);

        Assert.Equal(exitCode, result.ExitCode);
    }

    [Fact]
    public async Task AGeminiQuotaOfZero_IsPermanent_AndSaysWhatToDo()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(new
        {
            error = new
            {
                code = 429, status = "RESOURCE_EXHAUSTED",
                message = "You exceeded your current quota. Quota exceeded for metric: generate_content_paid_tier_input_token_count, limit: 0",
                details = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["@type"] = "type.googleapis.com/google.rpc.QuotaFailure",
                        ["violations"] = new[] { new { quotaMetric = "generativelanguage.googleapis.com/generate_requests_per_model_per_day", quotaId = "GenerateRequestsPerDayPerProjectPerModel", quotaValue = "0" } },
                    },
                    new Dictionary<string, object> { ["@type"] = "type.googleapis.com/google.rpc.RetryInfo", ["retryDelay"] = "23s" },
                },
            },
        }, 429));
        using var dir = new TempDirectory("quota");

        var result = await RunAsync(Gemini(provider.Url), "google/gemini-3-pro-image", dir);

        Assert.Equal(ExitCodes.Permanent, result.ExitCode);
        var error = CliError.TryParse(result.StandardOutput)!;
        Assert.Contains("no quota for this model (its limit is 0): enable billing", error.Message, StringComparison.Ordinal);
        Assert.Null(error.RetryAfterSeconds);
    }

    [Fact]
    public async Task OpenAi_OutOfCredit_IsPermanent_AndSaysWhatToDo()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(
            new { error = new { message = "You exceeded your current quota.", type = "insufficient_quota", code = "insufficient_quota" } }, 429,
            new Dictionary<string, string> { ["x-request-id"] = "req_quota" }));
        using var dir = new TempDirectory("credit");

        var result = await RunAsync(OpenAi(provider.Url), "openai/gpt-image-2", dir);

        Assert.Equal(ExitCodes.Permanent, result.ExitCode);
        var message = CliError.TryParse(result.StandardOutput)!.Message;
        Assert.Contains("(request req_quota) The account has no credit left: add credit", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAi_UsageRequestIdAndCost_AreKept_AndAFileOfTheAskedSizeIsStoredAsSent_WithItsCredentials()
    {
        // A PNG of exactly the size asked, carrying a C2PA chunk: stored byte for byte, our provenance in the sidecar only.
        var signed = PngChunks.With(FakeProvider.Png, "caBX", "c2pa manifest store"u8.ToArray());
        var usage = new { input_tokens = 50, input_tokens_details = new { text_tokens = 50, image_tokens = 0 }, output_tokens = 4160, total_tokens = 4210 };
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(OpenAiAnswer(signed, usage), headers: new Dictionary<string, string> { ["x-request-id"] = "req_abc123" }));
        using var dir = new TempDirectory("usage");

        var result = await RunAsync(OpenAi(provider.Url), "openai/gpt-image-2", dir, "--size", "64x48");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var manifest = GenerateManifest.FromJson(result.StandardOutput);
        var image = Assert.Single(manifest.Images);
        Assert.Equal(signed, File.ReadAllBytes(image.Path));
        Assert.True(ContentCredentials.IsPresent(File.ReadAllBytes(image.Path)));
        Assert.Equal("stored as the provider sent it, with its Content Credentials (C2PA)", image.Note);
        Assert.Null(image.Original);
        Assert.Equal(["req_abc123"], manifest.Provider!.RequestIds);
        Assert.Equal(new ModelUsage(50, 0, 0, 4160), manifest.Provider!.Usage);
        // 50 text tokens at $5/M + 4,160 image output tokens at $30/M (prices.json).
        Assert.Equal(0.12505m, manifest.Provider!.Cost!.Usd);
        Assert.Equal("2026-11-25", manifest.Provider!.Cost.PricesTaken);
        var sidecar = GenerateManifest.FromJson(File.ReadAllText(Path.Combine(dir.Path, GenerateManifest.SidecarFileName)));
        Assert.Equal(0.12505m, sidecar.Provider!.Cost!.Usd);
    }

    [Fact]
    public async Task AConvertedFile_CarriesTheIptcSourceTypeAndOnlyRealParameters_TheProviderFileIsKeptBeside()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(OpenAiAnswer(FakeProvider.Png)));
        using var dir = new TempDirectory("converted");

        var result = await RunAsync(OpenAi(provider.Url), "openai/gpt-image-2", dir, "--size", "96x96", "--format", "png");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var image = Assert.Single(GenerateManifest.FromJson(result.StandardOutput).Images);
        Assert.Equal("01-provider.png", image.Original);
        var fields = ProvenanceReader.Read(image.Path).ToDictionary(f => f.Name, f => f.Value);
        Assert.Contains("<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>", fields["XMP"], StringComparison.Ordinal);
        var parameters = fields["PNG text: parameters"];
        Assert.DoesNotContain("Steps:", parameters, StringComparison.Ordinal);
        Assert.DoesNotContain("Sampler:", parameters, StringComparison.Ordinal);
        Assert.DoesNotContain("Seed:", parameters, StringComparison.Ordinal);
        Assert.Contains("\"seedNote\":\"seed not supported\"", fields["PNG text: imagegen"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gemini_FailingPartWay_KeepsTheImagesThatArrived_AndSaysHowManyAreMissing()
    {
        var calls = 0;
        await using var provider = await FakeProvider.StartAsync(_ => Interlocked.Increment(ref calls) <= 2
            ? FakeProvider.Json(GeminiAnswer(FakeProvider.Png, $"resp-{calls}"))
            : FakeProvider.Json(new { error = new { code = 503, message = "The model is overloaded.", status = "UNAVAILABLE" } }, 503));
        using var dir = new TempDirectory("partial");

        var result = await RunAsync(Gemini(provider.Url), "google/gemini-3.1-flash-image", dir, "--count", "4");

        Assert.Equal(ExitCodes.Transient, result.ExitCode);
        Assert.Equal(3, provider.Requests.Count); // it stopped at the failure
        var manifest = GenerateManifest.FromJson(result.StandardOutput);
        Assert.Equal(2, manifest.Images.Count);
        Assert.All(manifest.Images, i => Assert.True(File.Exists(i.Path)));
        Assert.Equal(2, manifest.Provider!.Missing);
        Assert.Equal("Gemini answered 503 UNAVAILABLE: The model is overloaded. 2 of 4 images had arrived and were kept; 2 missing.", manifest.Error!.Message);
        Assert.Equal(["resp-1", "resp-2"], manifest.Provider!.RequestIds);
        Assert.Equal("gemini-3.1-flash-image-001", manifest.Provider!.ModelVersion);
        // Two calls' usage: the images at the image-output price, text and thoughts at the text-output price.
        Assert.Equal(new ModelUsage(24, 0, 100, 2240), manifest.Provider!.Usage);
        Assert.Equal((24 * 0.5m + 100 * 3m + 2240 * 60m) / 1_000_000m, manifest.Provider!.Cost!.Usd);
    }

    [Fact]
    public async Task Compat_WithADeclaredSeedField_SendsEachImageItsOwnSeed()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(OpenAiAnswer(FakeProvider.Png)));
        using var dir = new TempDirectory("compat-seed");

        var result = await RunAsync(new() { ["IMAGEGEN_COMPAT_BASE_URL"] = provider.Url, ["IMAGEGEN_COMPAT_SEED"] = "true" }, "compat/default", dir, "--count", "2", "--seed", "7");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal([7L, 8L], provider.Requests.Select(r => r.Body.GetProperty("seed").GetInt64()));
        Assert.All(provider.Requests, r => Assert.Equal(1, r.Body.GetProperty("n").GetInt32()));
        Assert.Equal([7L, 8L], GenerateManifest.FromJson(result.StandardOutput).Images.Select(i => i.Seed!.Value));
    }

    [Fact]
    public async Task Compat_WithoutASeedField_SendsNone_AndSaysSeedNotSupported()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(OpenAiAnswer(FakeProvider.Png)));
        using var dir = new TempDirectory("compat-noseed");

        var result = await RunAsync(new() { ["IMAGEGEN_COMPAT_BASE_URL"] = provider.Url }, "compat/default", dir, "--seed", "7");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.False(Assert.Single(provider.Requests).Body.TryGetProperty("seed", out _));
        var manifest = GenerateManifest.FromJson(result.StandardOutput);
        Assert.Equal("seed not supported", manifest.Provider!.SeedNote);
        Assert.Null(Assert.Single(manifest.Images).Seed);
    }

    [Fact]
    public async Task A1111_Txt2Img_SendsTheDocumentedFields_AndReadsTheRealSeedsFromInfo()
    {
        var info = JsonSerializer.Serialize(new { seed = 1001, all_seeds = new[] { 1001, 1002 }, sd_model_name = "sd_xl_base_1.0", sd_model_hash = "31e35c80fc", infotexts = new[] { "x" } });
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(new
        {
            images = new[] { Convert.ToBase64String(FakeProvider.Png), Convert.ToBase64String(FakeProvider.Png) },
            parameters = new { },
            info,
        }));
        using var dir = new TempDirectory("a1111");
        var environment = new Dictionary<string, string?>
        {
            ["IMAGEGEN_A1111_BASE_URL"] = provider.Url, ["IMAGEGEN_A1111_STEPS"] = "28", ["IMAGEGEN_A1111_SAMPLER"] = "DPM++ 2M",
        };

        var result = await RunAsync(environment, "a1111/sd_xl_base_1.0", dir, "--count", "2", "--size", "1000x562", "--seed", "1001");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var request = Assert.Single(provider.Requests);
        Assert.Equal("/sdapi/v1/txt2img", request.Path);
        var body = request.Body;
        Assert.StartsWith("a cup of coffee", body.GetProperty("prompt").GetString(), StringComparison.Ordinal);
        Assert.Equal(1001, body.GetProperty("seed").GetInt64());
        Assert.Equal((1000, 560), (body.GetProperty("width").GetInt32(), body.GetProperty("height").GetInt32())); // the 8 px grid
        Assert.Equal(28, body.GetProperty("steps").GetInt32());
        Assert.Equal("DPM++ 2M", body.GetProperty("sampler_name").GetString());
        Assert.Equal(2, body.GetProperty("batch_size").GetInt32());
        Assert.Equal("sd_xl_base_1.0", body.GetProperty("override_settings").GetProperty("sd_model_checkpoint").GetString());
        var manifest = GenerateManifest.FromJson(result.StandardOutput);
        Assert.Equal([1001L, 1002L], manifest.Images.Select(i => i.Seed!.Value));
        Assert.Equal("sd_xl_base_1.0 [31e35c80fc]", manifest.Provider!.ModelVersion);
        Assert.Equal("1000x560", manifest.Provider!.SentSize);
        Assert.Equal(0m, manifest.Provider!.Cost!.Usd); // a local server: no charge
    }

    [Fact]
    public async Task A1111_WithASource_UsesImg2Img()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(new { images = new[] { Convert.ToBase64String(FakeProvider.Png) }, info = "{\"all_seeds\":[3]}" }));
        using var dir = new TempDirectory("a1111-img2img");
        var source = Path.Combine(dir.Path, "source.png");
        await File.WriteAllBytesAsync(source, FakeProvider.Png, TestContext.Current.CancellationToken);

        var result = await RunAsync(new() { ["IMAGEGEN_A1111_BASE_URL"] = provider.Url }, "a1111/default", dir, "--source", source);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var request = Assert.Single(provider.Requests);
        Assert.Equal("/sdapi/v1/img2img", request.Path);
        Assert.Equal(Convert.ToBase64String(FakeProvider.Png), request.Body.GetProperty("init_images")[0].GetString());
        Assert.Equal(0.6, request.Body.GetProperty("denoising_strength").GetDouble());
        Assert.False(request.Body.TryGetProperty("override_settings", out _));
    }

    [Theory]
    [InlineData(404, """{"detail":"Not Found"}""", "answered 404: Not Found")]
    [InlineData(422, """{"detail":[{"loc":["body","width"],"msg":"value is not a valid integer","type":"type_error.integer"}]}""", "body.width: value is not a valid integer")]
    [InlineData(500, """{"error":"OutOfMemoryError","detail":"","body":"","errors":"CUDA out of memory."}""", "answered 500 OutOfMemoryError: CUDA out of memory.")]
    public async Task A1111_ErrorShapes_AreReadIntoASentence(int status, string body, string message)
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Raw(body, status));
        using var dir = new TempDirectory("a1111-error");

        var result = await RunAsync(new() { ["IMAGEGEN_A1111_BASE_URL"] = provider.Url }, "a1111/default", dir);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, CliError.TryParse(result.StandardOutput)!.Message, StringComparison.Ordinal);
    }

    private const string Workflow = """
        {
          "3": { "class_type": "KSampler", "inputs": { "seed": "{{seed}}", "steps": 20, "cfg": 7, "model": ["4", 0], "positive": ["6", 0], "latent_image": ["5", 0] } },
          "4": { "class_type": "CheckpointLoaderSimple", "inputs": { "ckpt_name": "{{model}}" } },
          "5": { "class_type": "EmptyLatentImage", "inputs": { "width": "{{width}}", "height": "{{height}}", "batch_size": "{{count}}" } },
          "6": { "class_type": "CLIPTextEncode", "inputs": { "text": "{{prompt}}, best quality", "clip": ["4", 1] } },
          "9": { "class_type": "SaveImage", "inputs": { "filename_prefix": "imagegen", "images": ["8", 0] } }
        }
        """;

    [Fact]
    public async Task ComfyUi_QueuesTheFilledWorkflow_FollowsItsHistory_AndFetchesEachImage()
    {
        var polls = 0;
        await using var provider = await FakeProvider.StartAsync(
            request => FakeProvider.Json(new { prompt_id = $"p{request.Body.GetProperty("prompt").GetProperty("3").GetProperty("inputs").GetProperty("seed").GetInt64()}", number = 1, node_errors = new { } }),
            get => get.Path.StartsWith("/history/", StringComparison.Ordinal)
                ? Interlocked.Increment(ref polls) % 2 == 1
                    ? FakeProvider.Json(new { }) // still running
                    : FakeProvider.Json(new Dictionary<string, object>
                    {
                        [get.Path["/history/".Length..]] = new
                        {
                            outputs = new Dictionary<string, object> { ["9"] = new { images = new[] { new { filename = "imagegen_00001_.png", subfolder = "", type = "output" } } } },
                            status = new { status_str = "success", completed = true },
                        },
                    })
                : get.Path.StartsWith("/view?", StringComparison.Ordinal) ? Results.Bytes(FakeProvider.Png, "image/png") : Results.NotFound());
        using var dir = new TempDirectory("comfy");
        var workflow = Path.Combine(dir.Path, "workflow.json");
        await File.WriteAllTextAsync(workflow, Workflow, TestContext.Current.CancellationToken);
        var environment = new Dictionary<string, string?> { ["IMAGEGEN_COMFYUI_BASE_URL"] = provider.Url, ["IMAGEGEN_COMFYUI_WORKFLOW"] = workflow };

        var result = await RunAsync(environment, "comfyui/sdxl.safetensors", dir, "--count", "2", "--seed", "40", "--size", "832x1216");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var queued = provider.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(["/prompt", "/prompt"], queued.Select(r => r.Path));
        var first = queued[0].Body.GetProperty("prompt");
        Assert.Equal(40, first.GetProperty("3").GetProperty("inputs").GetProperty("seed").GetInt64());
        Assert.Equal(41, queued[1].Body.GetProperty("prompt").GetProperty("3").GetProperty("inputs").GetProperty("seed").GetInt64());
        Assert.Equal((832, 1216, 1), (first.GetProperty("5").GetProperty("inputs").GetProperty("width").GetInt32(),
            first.GetProperty("5").GetProperty("inputs").GetProperty("height").GetInt32(), first.GetProperty("5").GetProperty("inputs").GetProperty("batch_size").GetInt32()));
        Assert.Equal("sdxl.safetensors", first.GetProperty("4").GetProperty("inputs").GetProperty("ckpt_name").GetString());
        Assert.StartsWith("a cup of coffee", first.GetProperty("6").GetProperty("inputs").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(", best quality", first.GetProperty("6").GetProperty("inputs").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.True(queued[0].Body.TryGetProperty("client_id", out _));
        Assert.Contains(provider.Requests, r => r.Path == "/view?filename=imagegen_00001_.png&subfolder=&type=output");
        var manifest = GenerateManifest.FromJson(result.StandardOutput);
        Assert.Equal([40L, 41L], manifest.Images.Select(i => i.Seed!.Value));
        Assert.Equal(["p40", "p41"], manifest.Provider!.RequestIds);
    }

    [Fact]
    public async Task ComfyUi_AWorkflowTheServerRefuses_IsReportedWithEachNodesErrors()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(new
        {
            error = new { type = "prompt_outputs_failed_validation", message = "Prompt outputs failed validation", details = "", extra_info = new { } },
            node_errors = new Dictionary<string, object>
            {
                ["4"] = new
                {
                    errors = new[] { new { type = "value_not_in_list", message = "Value not in list", details = "ckpt_name: 'missing.safetensors' not in ['sdxl.safetensors']" } },
                    dependent_outputs = new[] { "9" },
                    class_type = "CheckpointLoaderSimple",
                },
            },
        }, 400));
        using var dir = new TempDirectory("comfy-refused");
        var workflow = Path.Combine(dir.Path, "workflow.json");
        await File.WriteAllTextAsync(workflow, Workflow, TestContext.Current.CancellationToken);

        var result = await RunAsync(new() { ["IMAGEGEN_COMFYUI_BASE_URL"] = provider.Url, ["IMAGEGEN_COMFYUI_WORKFLOW"] = workflow }, "comfyui/missing.safetensors", dir);

        Assert.Equal(ExitCodes.Permanent, result.ExitCode);
        Assert.Contains("Prompt outputs failed validation — node 4 (CheckpointLoaderSimple): Value not in list: ckpt_name: 'missing.safetensors' not in ['sdxl.safetensors']",
            CliError.TryParse(result.StandardOutput)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComfyUi_AWorkflowWithoutAPromptPlaceholder_IsAUsageError_NothingSent()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(new { }));
        using var dir = new TempDirectory("comfy-bad");
        var workflow = Path.Combine(dir.Path, "workflow.json");
        await File.WriteAllTextAsync(workflow, Workflow.Replace("{{prompt}}", "a fixed prompt", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var result = await RunAsync(new() { ["IMAGEGEN_COMFYUI_BASE_URL"] = provider.Url, ["IMAGEGEN_COMFYUI_WORKFLOW"] = workflow }, "comfyui/default", dir);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("has no {{prompt}} placeholder", CliError.TryParse(result.StandardOutput)!.Message, StringComparison.Ordinal);
        Assert.Empty(provider.Requests);
    }

    [Fact]
    public async Task Models_ListsTheSelfHostedProviders_WithTheReasonWhenUnset()
    {
        var result = await ImageGenProcess.RunWithAsync(new Dictionary<string, string?> { ["IMAGEGEN_A1111_BASE_URL"] = null, ["IMAGEGEN_COMFYUI_BASE_URL"] = null }, "models", "--json");

        Assert.Equal(0, result.ExitCode);
        var models = JsonDocument.Parse(result.StandardOutput).RootElement.EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal("IMAGEGEN_A1111_BASE_URL is not set.", models["a1111/default"].GetProperty("unavailableReason").GetString());
        Assert.Equal("IMAGEGEN_COMFYUI_BASE_URL is not set.", models["comfyui/default"].GetProperty("unavailableReason").GetString());
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
