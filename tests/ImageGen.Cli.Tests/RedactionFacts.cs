using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Tests;

/// <summary>A provider (or a proxy in front of it) that echoes the key in its error text: the key never leaves the CLI.</summary>
public sealed class RedactionFacts
{
    private const string OpenAiKey = "sk-proj-echoedkey0123456789abcdefXYZ";
    private const string GeminiKey = "gm-echoed-key-9876543210";
    private const string CompatKey = "compat-echoed-key-5555aaaa";

    public static TheoryData<string, string, string> Providers => new()
    {
        // model, the key the provider was sent, what the provider answers (it echoes that key)
        { "openai/gpt-image-2", OpenAiKey, $$$"""{"error":{"message":"Incorrect API key provided: {{{OpenAiKey}}}. Header was Authorization: Bearer {{{OpenAiKey}}}","type":"invalid_request_error","code":"invalid_api_key"}}""" },
        { "google/gemini-3.1-flash-image", GeminiKey, $$$"""{"error":{"code":400,"message":"API key not valid (x-goog-api-key: {{{GeminiKey}}}, url ...?key={{{GeminiKey}}}).","status":"INVALID_ARGUMENT"}}""" },
        { "compat/default", CompatKey, $$$"""{"detail":"proxy refused Authorization: Bearer {{{CompatKey}}}"}""" },
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ProviderErrorThatEchoesTheKey_IsReportedWithTheKeyMasked(string model, string key, string answer)
    {
        await using var provider = await FakeProvider.StartAsync(_ => FakeProvider.Raw(answer, 401));
        using var dir = new TempDirectory("redact");
        var environment = new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = OpenAiKey, ["OPENAI_BASE_URL"] = provider.Url,
            ["GEMINI_API_KEY"] = GeminiKey, ["GEMINI_BASE_URL"] = provider.Url,
            ["IMAGEGEN_COMPAT_BASE_URL"] = provider.Url, ["IMAGEGEN_COMPAT_API_KEY"] = CompatKey,
        };

        var result = await ImageGenProcess.RunWithAsync(environment, ["generate", "--prompt", "a cup", "--model", model, "--out", dir.Path, "--json"]);

        Assert.Equal(ExitCodes.Permanent, result.ExitCode);
        Assert.Contains(key, string.Join('\n', provider.Requests.SelectMany(r => r.Headers.Values))); // it was sent
        Assert.DoesNotContain(key, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        var error = CliError.TryParse(result.StandardOutput)!;
        Assert.Contains(SecretRedactor.Mask, error.Message, StringComparison.Ordinal); // the rest of the message stays readable
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("failed with Authorization: Bearer abcdefghijklmnop1234", "failed with Authorization: Bearer [redacted]")]
    [InlineData("GET /v1beta/models?key=AIzaSyA1234567890abcdefghijklmnopqrstuv failed", "GET /v1beta/models?key=[redacted] failed")]
    [InlineData("your key sk-abcdefghijklmnopqrstuvwx is wrong", "your key [redacted] is wrong")]
    [InlineData("\"api_key\": \"0123456789abcdef\"", "\"api_key\": \"[redacted]\"")]
    [InlineData("Rate limit reached for gpt-image-2 in organization org-abc.", "Rate limit reached for gpt-image-2 in organization org-abc.")]
    public void CredentialShapes_AreMaskedWithoutAConfiguredKey(string text, string expected) =>
        Assert.Equal(expected, SecretRedactor.ShapesOnly.Redact(text));

    [Fact]
    public void ConfiguredKeys_AreMaskedVerbatim_LongestFirst_AndTinyOnesIgnored()
    {
        var redactor = new SecretRedactor(["plainsecret", "plainsecret-longer", "ab", null]);
        Assert.Equal("[redacted] and [redacted]; ab stays", redactor.Redact("plainsecret-longer and plainsecret; ab stays"));
    }
}
