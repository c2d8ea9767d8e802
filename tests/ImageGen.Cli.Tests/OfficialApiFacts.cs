using System.Text;
using System.Text.Json;
using CliWrap.Buffered;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Testing;
using Microsoft.AspNetCore.Http;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Tests;

/// <summary>
/// Where ImageGen and the official APIs disagreed (issue 26): each case runs the real CLI against a fake that answers as
/// the official API or server does: Gemini 4K on the GA ids and a reduced size said in words; AUTOMATIC1111's
/// <c>--api-auth</c> and credentials in any self-hosted base URL sent as HTTP Basic and never shown; ComfyUI's skipped
/// output nodes and server-side interrupts; OpenAI's mask limit and retired models refused before anything is sent;
/// Gemini inputs sent at the size the model reads.
/// </summary>
public sealed class OfficialApiFacts : IDisposable
{
    private readonly TempDirectory _dir = new("official");

    public void Dispose() => _dir.Dispose();

    private Task<BufferedCommandResult> RunAsync(Dictionary<string, string?> environment, string model, params string[] extra) =>
        ImageGenProcess.RunWithAsync(environment, ["generate", "--prompt", "a cup of coffee", "--model", model, "--out", Path.Combine(_dir.Path, "out"), "--json", .. extra]);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string WriteText(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    private static Dictionary<string, string?> Gemini(string baseUrl) => new() { ["GEMINI_API_KEY"] = "AIza-test-official", ["GEMINI_BASE_URL"] = baseUrl };

    private static object GeminiAnswer() => new
    {
        candidates = new[] { new { content = new { parts = new object[] { new { inlineData = new { mimeType = "image/png", data = Convert.ToBase64String(FakeProvider.Png) } } } }, finishReason = "STOP" } },
    };

    private static object A1111Answer() => new { images = new[] { Convert.ToBase64String(FakeProvider.Png) }, info = "{\"all_seeds\":[5]}" };

    private static string Basic(string credentials) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));

    // ---- Gemini sizes ----

    [Theory]
    [InlineData("google/gemini-3-pro-image")] // Google's cookbook sends imageSize "4K" to this id
    [InlineData("google/gemini-3.1-flash-image")] // its model page: "512, 1K, 2K, 4K (Preview)"
    public async Task Gemini_A4096Request_AsksTheGaModelsFor4K_AndNothingIsReduced(string model)
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(GeminiAnswer()));

        var result = await RunAsync(Gemini(provider.Url), model, "--size", "4096x4096", "--format", "jpeg");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var imageConfig = Assert.Single(provider.Requests).Body.GetProperty("generationConfig").GetProperty("imageConfig");
        Assert.Equal("4K", imageConfig.GetProperty("imageSize").GetString());
        Assert.Equal("1:1", imageConfig.GetProperty("aspectRatio").GetString());
        var facts = GenerateManifest.FromJson(result.StandardOutput).Provider!;
        Assert.Equal("1:1 at 4K", facts.SentSize);
        Assert.Null(facts.SizeNote);
    }

    [Fact]
    public async Task ASizeTheModelCannotMake_IsRecordedAsReducedAndUpscaled_InWords()
    {
        // AUTOMATIC1111 makes at most 2048 a side (SizeMapping.StableDiffusion): 4096x1024 goes out as 2048x512.
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(A1111Answer()));

        var result = await RunAsync(new() { ["IMAGEGEN_A1111_BASE_URL"] = provider.Url }, "a1111/default", "--size", "4096x1024", "--format", "jpeg");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var body = Assert.Single(provider.Requests).Body;
        Assert.Equal((2048, 512), (body.GetProperty("width").GetInt32(), body.GetProperty("height").GetInt32()));
        var manifest = GenerateManifest.FromJson(result.StandardOutput);
        Assert.Equal("reduced: the model made 2048x512, its largest for this shape, upscaled 2× locally to 4096x1024", manifest.Provider!.SizeNote);
        // The sidecar the worker ingests carries it too (RunFacts is what the run header reads).
        var sidecar = GenerateManifest.FromJson(File.ReadAllText(Path.Combine(_dir.Path, "out", GenerateManifest.SidecarFileName)));
        Assert.Equal(manifest.Provider!.SizeNote, RunFacts.FromJson(sidecar.Provider!.ToJson())!.SizeNote);
    }

    // ---- Credentials of self-hosted servers ----

    /// <summary>
    /// An AUTOMATIC1111 started with <c>--api-auth alice:wonder-land-42</c>, as its API answers: FastAPI's HTTPBasic says
    /// "Not authenticated" without credentials and "Incorrect username or password" for wrong ones, both 401.
    /// </summary>
    private static IResult ApiAuth(ProviderRequest request, string credentials, IResult answer) =>
        !request.Headers.TryGetValue("authorization", out var header)
            ? FakeProvider.Json(new { detail = "Not authenticated" }, 401, new Dictionary<string, string> { ["WWW-Authenticate"] = "Basic" })
            : header != Basic(credentials)
                ? FakeProvider.Json(new { detail = "Incorrect username or password" }, 401, new Dictionary<string, string> { ["WWW-Authenticate"] = "Basic" })
                : answer;

    [Fact]
    public async Task A1111_WithApiAuth_TheCredentialsSettingIsSentAsBasicOnEveryRequest()
    {
        await using var provider = await FakeProvider.StartAsync(request => ApiAuth(request, "alice:wonder-land-42", FakeProvider.Json(A1111Answer())));

        var result = await RunAsync(new() { ["IMAGEGEN_A1111_BASE_URL"] = provider.Url, ["IMAGEGEN_A1111_AUTH"] = "alice:wonder-land-42" }, "a1111/default");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(Basic("alice:wonder-land-42"), Assert.Single(provider.Requests).Headers["authorization"]);
    }

    [Fact]
    public async Task A1111_WithApiAuth_AndNoCredentials_SaysTheServersReason()
    {
        await using var provider = await FakeProvider.StartAsync(request => ApiAuth(request, "alice:wonder-land-42", FakeProvider.Json(A1111Answer())));

        var result = await RunAsync(new() { ["IMAGEGEN_A1111_BASE_URL"] = provider.Url, ["IMAGEGEN_A1111_AUTH"] = null }, "a1111/default");

        Assert.Equal(ExitCodes.Permanent, result.ExitCode);
        Assert.Contains("answered 401: Not authenticated", CliError.TryParse(result.StandardOutput)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadCredentialsSetting_IsAUsageError_ThatNeverEchoesTheValue()
    {
        var result = await RunAsync(new() { ["IMAGEGEN_A1111_BASE_URL"] = "http://127.0.0.1:9", ["IMAGEGEN_A1111_AUTH"] = "wonder-land-42-no-user" }, "a1111/default");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("IMAGEGEN_A1111_AUTH is not valid: it must be user:password", CliError.TryParse(result.StandardOutput)!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wonder-land-42", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    private string Workflow() => WriteText("workflow.json", """
        {
          "3": { "class_type": "KSampler", "inputs": { "seed": "{{seed}}", "steps": 20, "positive": ["6", 0] } },
          "6": { "class_type": "CLIPTextEncode", "inputs": { "text": "{{prompt}}" } },
          "9": { "class_type": "SaveImage", "inputs": { "filename_prefix": "imagegen", "images": ["8", 0] } }
        }
        """);

    private Dictionary<string, string?> SelfHosted(string model, string baseUrl) => model switch
    {
        "a1111/default" => new() { ["IMAGEGEN_A1111_BASE_URL"] = baseUrl, ["IMAGEGEN_A1111_AUTH"] = null },
        "comfyui/default" => new() { ["IMAGEGEN_COMFYUI_BASE_URL"] = baseUrl, ["IMAGEGEN_COMFYUI_WORKFLOW"] = Workflow() },
        _ => new() { ["IMAGEGEN_COMPAT_BASE_URL"] = baseUrl, ["IMAGEGEN_COMPAT_API_KEY"] = null },
    };

    private static IResult SelfHostedAnswer(ProviderRequest request) => request.Path switch
    {
        "/sdapi/v1/txt2img" => FakeProvider.Json(A1111Answer()),
        "/prompt" => FakeProvider.Json(new { prompt_id = "p1", number = 1, node_errors = new { } }),
        _ => FakeProvider.Json(new { created = 1, data = new[] { new { b64_json = Convert.ToBase64String(FakeProvider.Png) } } }),
    };

    private static IResult ComfyGet(ProviderRequest get) => get.Path.StartsWith("/history/", StringComparison.Ordinal)
        ? FakeProvider.Json(new Dictionary<string, object>
        {
            ["p1"] = new
            {
                outputs = new Dictionary<string, object> { ["9"] = new { images = new[] { new { filename = "imagegen_00001_.png", subfolder = "", type = "output" } } } },
                status = new { status_str = "success", completed = true, messages = Array.Empty<object>() },
            },
        })
        : Results.Bytes(FakeProvider.Png, "image/png");

    [Theory]
    [InlineData("a1111/default")]
    [InlineData("comfyui/default")]
    [InlineData("compat/default")]
    public async Task CredentialsInABaseUrl_AreSentAsBasic_OnEveryRequest_AndNeverInTheUrl(string model)
    {
        await using var provider = await FakeProvider.StartAsync(request => ApiAuth(request, "alice:wonder land/42", SelfHostedAnswer(request)),
            get => ApiAuth(get, "alice:wonder land/42", ComfyGet(get)));
        var withCredentials = provider.Url.Replace("http://", "http://alice:wonder%20land%2F42@", StringComparison.Ordinal);

        var result = await RunAsync(SelfHosted(model, withCredentials), model);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.NotEmpty(provider.Requests);
        // The history polls and the image fetch of ComfyUI too, not only the POST.
        Assert.All(provider.Requests, r => Assert.Equal(Basic("alice:wonder land/42"), r.Headers["authorization"]));
        Assert.DoesNotContain("wonder", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a1111/default")]
    [InlineData("comfyui/default")]
    [InlineData("compat/default")]
    public async Task CredentialsInABaseUrl_NeverAppearInAnErrorMessage_EvenWhenAProxyEchoesThem(string model)
    {
        // A proxy's error page that echoes the URL it was asked for with its user info, and the Authorization header.
        await using var provider = await FakeProvider.StartAsync(request => FakeProvider.Raw(
            $"<html>502 Bad Gateway: upstream http://alice:wonder-land-42@10.0.0.7:7860{request.Path} refused ({request.Headers.GetValueOrDefault("authorization")})</html>",
            502, "text/html"), get => FakeProvider.Raw("<html>502</html>", 502, "text/html"));
        var withCredentials = provider.Url.Replace("http://", "http://alice:wonder-land-42@", StringComparison.Ordinal);

        var result = await RunAsync(SelfHosted(model, withCredentials), model);

        Assert.Equal(ExitCodes.Transient, result.ExitCode);
        var message = CliError.TryParse(result.StandardOutput)!.Message;
        Assert.Contains("answered 502", message, StringComparison.Ordinal);
        Assert.DoesNotContain("wonder-land-42", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:wonder-land-42")), result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerThatCannotBeReached_IsNamedWithoutTheCredentialsOfItsUrl()
    {
        var port = FreePort();

        var result = await RunAsync(SelfHosted("a1111/default", $"http://alice:wonder-land-42@127.0.0.1:{port}"), "a1111/default");

        Assert.Equal(ExitCodes.Transient, result.ExitCode);
        var message = CliError.TryParse(result.StandardOutput)!.Message;
        Assert.Contains($"could not be reached at http://127.0.0.1:{port}", message, StringComparison.Ordinal);
        Assert.DoesNotContain("wonder-land-42", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialsInTheUrl_BesideTheCredentialsSetting_IsAUsageError_NothingSent()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(A1111Answer()));
        var environment = new Dictionary<string, string?>
        {
            ["IMAGEGEN_A1111_BASE_URL"] = provider.Url.Replace("http://", "http://bob:other-pass-99@", StringComparison.Ordinal),
            ["IMAGEGEN_A1111_AUTH"] = "alice:wonder-land-42",
        };

        var result = await RunAsync(environment, "a1111/default");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("IMAGEGEN_A1111_BASE_URL has a user and password in it and IMAGEGEN_A1111_AUTH is set too", CliError.TryParse(result.StandardOutput)!.Message, StringComparison.Ordinal);
        Assert.Empty(provider.Requests);
        Assert.DoesNotContain("wonder-land-42", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("other-pass-99", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    // ---- ComfyUI ----

    [Fact]
    public async Task ComfyUi_A200WhoseNodeErrorsMarkTheOutputNode_ReportsTheServersReason()
    {
        // ComfyUI's /prompt: the SaveImage node fails validation, another output passes, so the prompt is queued (200) with
        // node_errors, runs the rest and completes without our image.
        await using var provider = await FakeProvider.StartAsync(
            _ => FakeProvider.Json(new
            {
                prompt_id = "p1", number = 3,
                node_errors = new Dictionary<string, object>
                {
                    ["9"] = new
                    {
                        errors = new[] { new { type = "required_input_missing", message = "Required input is missing", details = "images", extra_info = new { input_name = "images" } } },
                        dependent_outputs = new[] { "9" },
                        class_type = "SaveImage",
                    },
                },
            }),
            get => FakeProvider.Json(new Dictionary<string, object>
            {
                ["p1"] = new { outputs = new { }, status = new { status_str = "success", completed = true, messages = new object[] { new object[] { "execution_start", new { prompt_id = "p1" } } } } },
            }));

        var result = await RunAsync(SelfHosted("comfyui/default", provider.Url), "comfyui/default");

        Assert.Equal(ExitCodes.Permanent, result.ExitCode);
        var message = CliError.TryParse(result.StandardOutput)!.Message;
        Assert.Contains("skipped node 9 (SaveImage): Required input is missing: images", message, StringComparison.Ordinal);
        Assert.DoesNotContain("needs a SaveImage node", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComfyUi_AnInterruptOnTheServer_IsSaidInWords_AndIsTransientSoItCanBeRetried()
    {
        // What ComfyUI's executor records when POST /interrupt (or Cancel in its queue) stops a prompt: status_str "error",
        // completed false, and an execution_interrupted message among status.messages ([event, data] pairs).
        await using var provider = await FakeProvider.StartAsync(
            _ => FakeProvider.Json(new { prompt_id = "p1", number = 4, node_errors = new { } }),
            get => FakeProvider.Json(new Dictionary<string, object>
            {
                ["p1"] = new
                {
                    outputs = new { },
                    status = new
                    {
                        status_str = "error", completed = false,
                        messages = new object[]
                        {
                            new object[] { "execution_start", new { prompt_id = "p1", timestamp = 1765000000000 } },
                            new object[] { "execution_cached", new { nodes = Array.Empty<string>(), prompt_id = "p1", timestamp = 1765000000001 } },
                            new object[] { "execution_interrupted", new { prompt_id = "p1", node_id = "3", node_type = "KSampler", executed = new[] { "6" }, timestamp = 1765000004000 } },
                        },
                    },
                },
            }));

        var result = await RunAsync(SelfHosted("comfyui/default", provider.Url), "comfyui/default");

        Assert.Equal(ExitCodes.Transient, result.ExitCode);
        var error = CliError.TryParse(result.StandardOutput)!;
        Assert.Equal("transient", error.Kind);
        Assert.Contains("canceled the workflow at KSampler (node 3): it was interrupted on the server", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no message", error.Message, StringComparison.Ordinal);
    }

    // ---- OpenAI ----

    private static Dictionary<string, string?> OpenAi(string baseUrl) => new() { ["OPENAI_API_KEY"] = "sk-test-official", ["OPENAI_BASE_URL"] = baseUrl };

    [Fact]
    public async Task OpenAi_AMaskOf4MbOrMore_IsRefusedBeforeAnythingIsUploaded()
    {
        // An uncompressed RGBA PNG of 1024x1000: 4,096,000 bytes of pixels, over OpenAI's "less than 4MB".
        var source = Write("source.png", ImageEncoder.EncodeRgb(new byte[1024 * 1000 * 3], 1024, 1000, ImageFormats.Png, null));
        var mask = Write("mask.png", ImageEncoder.EncodePixels(new byte[1024 * 1000 * 4], 1024, 1000, 4, ImageFormats.Png, null, pngCompression: 0));
        Assert.True(new FileInfo(mask).Length >= 4_000_000);
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(new { created = 1, data = Array.Empty<object>() }));

        var result = await RunAsync(OpenAi(provider.Url), "openai/gpt-image-2", "--source", source, "--mask", mask);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var message = CliError.TryParse(result.StandardOutput)!.Message;
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--mask is {new FileInfo(mask).Length / 1_000_000.0:0.0} MB"), message, StringComparison.Ordinal);
        Assert.Contains("OpenAI takes a mask under 4 MB (4,000,000 bytes)", message, StringComparison.Ordinal);
        Assert.Empty(provider.Requests);
    }

    [Theory]
    [InlineData("openai/dall-e-3", "was shut down by OpenAI (May 2026)")]
    [InlineData("openai/dall-e-2", "was shut down by OpenAI (May 2026)")]
    [InlineData("openai/gpt-image-1", "was shut down by OpenAI (October 2026)")]
    [InlineData("openai/gpt-image-7", "is not an OpenAI image model ImageGen knows")]
    public async Task OpenAi_ARetiredOrUnknownModel_IsRefusedBeforeSending_WithTheKnownOnes(string model, string reason)
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(new { created = 1, data = Array.Empty<object>() }));

        var result = await RunAsync(OpenAi(provider.Url), model);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var message = CliError.TryParse(result.StandardOutput)!.Message;
        Assert.Contains($"{model} {reason}", message, StringComparison.Ordinal);
        Assert.Contains("OpenAI models ImageGen knows: openai/gpt-image-2*", message, StringComparison.Ordinal);
        Assert.Empty(provider.Requests);
    }

    [Fact]
    public async Task OpenAi_ANewerModel_CanBeAddedThroughThePriceFile()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(new { created = 1, data = new[] { new { b64_json = Convert.ToBase64String(FakeProvider.Png) } } }));
        var prices = WriteText("prices.json", """{"models": {"openai/gpt-image-3*": {"textInput": 5, "imageOutput": 30}}}""");
        var environment = OpenAi(provider.Url);
        environment["IMAGEGEN_PRICES_FILE"] = prices;

        var result = await RunAsync(environment, "openai/gpt-image-3", "--size", "64x48");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("gpt-image-3", Assert.Single(provider.Requests).Body.GetProperty("model").GetString());
    }

    // ---- Gemini inline size ----

    [Fact]
    public async Task Gemini_References_AreSentAtTheResolutionTheModelReads_AndTheManifestSaysSo()
    {
        var large = Write("large.png", ImageEncoder.EncodeRgb(ProceduralRenderer.Render("large #0f766e", 4, 2000, 1500), 2000, 1500, ImageFormats.Png, null));
        var small = Write("small.png", ImageEncoder.EncodeRgb(ProceduralRenderer.Render("small #c2410c", 5, 300, 200), 300, 200, ImageFormats.Png, null));
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(GeminiAnswer()));

        var result = await RunAsync(Gemini(provider.Url), "google/gemini-3.1-flash-image", "--reference", large, "--reference", small);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var parts = Assert.Single(provider.Requests).Body.GetProperty("contents")[0].GetProperty("parts");
        var sent = parts.EnumerateArray().Where(p => p.TryGetProperty("inlineData", out _))
            .Select(p => ImageEncoder.Probe(Write($"sent-{Guid.NewGuid():N}", Convert.FromBase64String(p.GetProperty("inlineData").GetProperty("data").GetString()!)))).ToList();
        Assert.Equal(2, sent.Count);
        Assert.True((long)sent[0].Width * sent[0].Height <= 1024 * 1024, $"{sent[0].Width}x{sent[0].Height}");
        Assert.InRange(sent[0].Width, 1170, 1182); // 2000x1500 scaled by sqrt(1 MP / 3 MP), its shape kept
        Assert.Equal(4 / 3.0, (double)sent[0].Width / sent[0].Height, 2);
        Assert.Equal((300, 200), (sent[1].Width, sent[1].Height)); // already within: sent as it is
        var inputs = GenerateManifest.FromJson(result.StandardOutput).Inputs!;
        Assert.Equal($"sent at {sent[0].Width}x{sent[0].Height}, the 1 MP the model reads (the file is 2000x1500)", inputs[0].Note);
        Assert.Null(inputs[1].Note);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(large))), inputs[0].Sha256); // the file's own hash
        // The echoed spec names the file as it is (a PNG, its own hash), not the smaller copy sent in its place.
        var echoed = GenerateManifest.FromJson(result.StandardOutput).Spec!.References![0];
        Assert.Equal(("png", inputs[0].Sha256), (echoed.Format, echoed.Sha256));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
