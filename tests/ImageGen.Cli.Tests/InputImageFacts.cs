using System.Text.Json;
using CliWrap.Buffered;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Tests;

/// <summary>
/// Images into the models through the real CLI: exactly what each fake provider receives (parts, counts, content types,
/// fields), the manifest and the file's provenance naming every input by hash, and inputs refused before anything is sent.
/// </summary>
public sealed class InputImageFacts : IDisposable
{
    private readonly TempDirectory _dir = new("inputs");
    private readonly string _logo, _style, _source, _mask;

    public InputImageFacts()
    {
        _logo = Write("logo.png", ImageEncoder.EncodeRgb(ProceduralRenderer.Render("logo #c2410c", 1, 48, 48), 48, 48, ImageFormats.Png, null));
        _style = Write("style.jpg", ImageEncoder.EncodeRgb(ProceduralRenderer.Render("style #1c1917", 2, 40, 30), 40, 30, ImageFormats.Jpeg, null));
        _source = Write("source.webp", ImageEncoder.EncodeRgb(ProceduralRenderer.Render("source", 3, 64, 48), 64, 48, ImageFormats.Webp, null));
        _mask = Write("mask.png", ImageEncoder.EncodePixels(new byte[64 * 48 * 4], 64, 48, 4, ImageFormats.Png, null));
    }

    public void Dispose() => _dir.Dispose();

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Sha(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    private Task<BufferedCommandResult> GenerateAsync(FakeProvider? provider, string model, IReadOnlyDictionary<string, string?>? extraEnvironment, params string[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = "sk-test", ["OPENAI_BASE_URL"] = provider?.Url ?? "http://127.0.0.1:9",
            ["GEMINI_API_KEY"] = "AIza-test", ["GEMINI_BASE_URL"] = provider?.Url ?? "http://127.0.0.1:9",
            ["IMAGEGEN_COMPAT_BASE_URL"] = provider?.Url ?? "http://127.0.0.1:9",
        };
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }
        return ImageGenProcess.RunWithAsync(environment, ["generate", "--prompt", "a hero banner", "--model", model, "--out", Path.Combine(_dir.Path, "out"), "--json", .. extra]);
    }

    private static object OpenAiImages(int count) => new { created = 1, data = Enumerable.Range(0, count).Select(_ => new { b64_json = Convert.ToBase64String(FakeProvider.Png) }).ToArray() };

    [Fact]
    public async Task OpenAi_WithASourceReferencesAndAMask_CallsEditsAsMultipart_SourceFirst()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(OpenAiImages(2)));

        var result = await GenerateAsync(provider, "openai/gpt-image-2", null, "--count", "2", "--size", "512x512", "--format", "webp",
            "--source", _source, "--reference", _logo, "--reference", _style, "--mask", _mask, "--background", "transparent", "--quality", "low");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var request = Assert.Single(provider.Requests);
        Assert.Equal("/v1/images/edits", request.Path);
        Assert.Matches("^multipart/form-data; boundary=[0-9a-f]{32}$", request.ContentType); // a bare boundary, as browsers send
        Assert.Equal(["image-1.webp", "image-2.png", "image-3.jpg", "mask.png"], request.Files.Select(f => f.FileName).ToArray());
        Assert.Equal("Bearer sk-test", request.Headers["authorization"]);
        var fields = request.Body.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(new Dictionary<string, string?>
        {
            // 512x512 is under the pixel budget: the nearest square it makes (816² ≥ 655,360)
            ["model"] = "gpt-image-2", ["prompt"] = "a hero banner", ["n"] = "2", ["size"] = "816x816", ["output_format"] = "webp",
            ["quality"] = "low", ["background"] = "transparent",
        }, fields);
        Assert.Equal(
            [("image[]", "image/webp", Sha(_source)), ("image[]", "image/png", Sha(_logo)), ("image[]", "image/jpeg", Sha(_style)), ("mask", "image/png", Sha(_mask))],
            request.Files.Select(f => (f.Field, f.ContentType, f.Sha256)).ToList());

        var manifest = GenerateManifest.FromJson(result.StandardOutput);
        Assert.Equal([("source", Sha(_source)), ("reference", Sha(_logo)), ("reference", Sha(_style)), ("mask", Sha(_mask))],
            manifest.Inputs!.Select(i => (i.Role, i.Sha256)).ToList());
        Assert.Equal(("transparent", "low"), (manifest.Settings.Background, manifest.Settings.Quality));
        // The file itself says what went in (XMP carries the provenance JSON in WebP).
        var embedded = string.Join("\n", ProvenanceReader.Read(manifest.Images[0].Path).Select(f => f.Value));
        Assert.Contains(Sha(_logo), embedded, StringComparison.Ordinal);
        Assert.Contains(Sha(_source), embedded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAi_TextOnly_StaysOnGenerations_WithQualityAndBackgroundInTheJson()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(OpenAiImages(1)));

        var result = await GenerateAsync(provider, "openai/gpt-image-2", null, "--size", "256x256", "--background", "opaque", "--quality", "high");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var request = Assert.Single(provider.Requests);
        Assert.Equal("/v1/images/generations", request.Path);
        Assert.Equal(("high", "opaque", 1), (request.Body.GetProperty("quality").GetString(), request.Body.GetProperty("background").GetString(), request.Body.GetProperty("n").GetInt32()));
        Assert.Empty(request.Files);
    }

    private static object GeminiImage() => new
    {
        candidates = new[] { new { content = new { parts = new object[] { new { inlineData = new { mimeType = "image/png", data = Convert.ToBase64String(FakeProvider.Png) } } } }, finishReason = "STOP" } },
    };

    [Fact]
    public async Task Gemini_SendsTheImagesAsInlinePartsBeforeTheText()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(GeminiImage()));

        var result = await GenerateAsync(provider, "google/gemini-3-pro-image", null, "--source", _source, "--reference", _logo, "--reference", _style);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var request = Assert.Single(provider.Requests);
        Assert.Equal("/v1beta/models/gemini-3-pro-image:generateContent", request.Path);
        var parts = request.Body.GetProperty("contents")[0].GetProperty("parts").EnumerateArray().ToList();
        Assert.Equal(4, parts.Count);
        var images = parts.Take(3).Select(p => p.GetProperty("inlineData")).Select(d => (d.GetProperty("mimeType").GetString(),
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Convert.FromBase64String(d.GetProperty("data").GetString()!))))).ToList();
        Assert.Equal([("image/webp", Sha(_source)), ("image/png", Sha(_logo)), ("image/jpeg", Sha(_style))], images);
        Assert.Equal("a hero banner", parts[3].GetProperty("text").GetString()); // as composed: the web app's prompt says what to do with a source
    }

    [Fact]
    public async Task Gemini_MoreReferencesThanTheModelTakes_AreRefusedBeforeAnythingIsSent()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(GeminiImage()));

        var result = await GenerateAsync(provider, "google/gemini-2.5-flash-image", null, "--reference", _logo, "--reference", _style, "--reference", _logo, "--source", _source);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("takes at most 2 reference image(s) besides the source image; 3 were chosen", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(provider.Requests);
    }

    [Fact]
    public async Task Compat_IsTextOnlyByDefault_AndTakesImagesOnItsEditsEndpointWhenDeclared()
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Json(OpenAiImages(1)));

        var refused = await GenerateAsync(provider, "compat/default", null, "--reference", _logo);
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("compat/default is text only: it takes no reference images.", refused.StandardError, StringComparison.Ordinal);
        Assert.Empty(provider.Requests);

        var result = await GenerateAsync(provider, "compat/default", new Dictionary<string, string?> { ["IMAGEGEN_COMPAT_MAX_IMAGES"] = "2" }, "--reference", _logo, "--size", "64x64");
        Assert.True(result.ExitCode == 0, result.StandardError);
        var request = Assert.Single(provider.Requests);
        Assert.Equal("/v1/images/edits", request.Path);
        Assert.Equal(("b64_json", "64x64"), (request.Body.GetProperty("response_format").GetString(), request.Body.GetProperty("size").GetString()));
        Assert.Equal([("image[]", "image/png", Sha(_logo))], request.Files.Select(f => (f.Field, f.ContentType, f.Sha256)).ToList());
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "text", "is a text file, not a PNG, JPEG or WebP image." },
        { "bomb", "declares 100000×100000 pixels" },
        { "truncated", "is incomplete or damaged" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task ABadReference_IsAUsageError_NamingIt(string kind, string message)
    {
        var path = Write($"bad-{kind}.png", kind switch
        {
            "text" => "not an image at all"u8.ToArray(),
            "bomb" => HostileImages.DecompressionBomb(100_000, 100_000),
            _ => HostileImages.Truncated(HostileImages.NoisyPng(200, 200)),
        });

        var result = await GenerateAsync(null, "offline/procedural", null, "--reference", path);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"--reference 1 ('bad-{kind}.png')", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
        Assert.Equal("usage", JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("error").GetProperty("kind").GetString());
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "out")));
    }

    [Theory]
    [InlineData("--background transparent --format jpeg", "A transparent background needs PNG or WebP: JPEG has no alpha channel.")]
    [InlineData("--mask MASK", "A mask needs a source image")]
    [InlineData("--source SOURCE --mask MASK", "offline/procedural does not take a mask.")]
    [InlineData("--quality low", "offline/procedural has no quality setting.")]
    public async Task WhatTheModelCannotDo_IsAUsageError(string arguments, string message)
    {
        var args = arguments.Replace("MASK", _mask, StringComparison.Ordinal).Replace("SOURCE", _source, StringComparison.Ordinal).Split(' ');

        var result = await GenerateAsync(null, "offline/procedural", null, args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_TransparentPng_HasARealAlphaChannel()
    {
        var result = await GenerateAsync(null, "offline/procedural", null, "--background", "transparent", "--size", "128x128", "--seed", "5", "--reference", _logo);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var manifest = GenerateManifest.FromJson(result.StandardOutput);
        Assert.False(Alpha.IsOpaque(manifest.Images[0].Path));
        Assert.Contains(Sha(_logo), string.Join("\n", ProvenanceReader.Read(manifest.Images[0].Path).Select(f => f.Value)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsJson_ListsEachModelsCapabilities()
    {
        var result = await ImageGenProcess.RunWithAsync(new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "k" }, "models", "--json");

        Assert.Equal(0, result.ExitCode);
        var models = JsonDocument.Parse(result.StandardOutput).RootElement.EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("capabilities"));
        Assert.Equal((8, true, true), (models["offline/procedural"].GetProperty("maxInputImages").GetInt32(), models["offline/procedural"].GetProperty("transparency").GetBoolean(), models["offline/procedural"].GetProperty("seed").GetBoolean()));
        Assert.Equal((16, true), (models["openai/gpt-image-2"].GetProperty("maxInputImages").GetInt32(), models["openai/gpt-image-2"].GetProperty("mask").GetBoolean()));
        Assert.Equal(0, models["compat/default"].GetProperty("maxInputImages").GetInt32());
    }
}
