using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Providers;

/// <summary>
/// Credentials of self-hosted servers stay out of URLs and messages (docs/PROVIDERS.md, "Credentials of self-hosted
/// servers"), and the Gemini inline limit is the documented one.
/// </summary>
public sealed class CredentialFacts
{
    [Fact]
    public void AJoinedUrl_NeverCarriesTheBaseUrlsUserInfo_WhichIsReadAsBasicCredentials()
    {
        const string baseUrl = "http://alice:wonder%20land%2F42@127.0.0.1:7860/sd";

        var url = ProviderUrl.Join(baseUrl, "", "sdapi/v1/txt2img");

        Assert.Equal("http://127.0.0.1:7860/sd/sdapi/v1/txt2img", url.ToString());
        Assert.Equal("", url.UserInfo);
        Assert.Equal("alice:wonder land/42", ProviderUrl.Credentials(baseUrl));
        Assert.Null(ProviderUrl.Credentials("http://127.0.0.1:7860"));
    }

    [Fact]
    public void ABaseUrlThatIsNotAUrl_IsNamedWithItsCredentialsMasked()
    {
        var error = Assert.Throws<ImageGenException>(() => ProviderUrl.Parse("ftp://alice:wonder-land-42@host"));

        Assert.DoesNotContain("wonder-land-42", error.Message, StringComparison.Ordinal);
        Assert.Contains("ftp://[redacted]@host", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRedactor_MasksTheCredentialsSetting_AUrlsUserInfo_ThePasswordAlone_AndBasicTokens()
    {
        var settings = new ProviderSettings { A1111Auth = "alice:wonder-land-42", ComfyUiBaseUrl = "http://carol:comfy%2Fsecret-7@10.0.0.8:8188" };
        var redactor = SecretRedactor.For(settings);

        var text = redactor.Redact(
            "auth alice:wonder-land-42; echoed wonder-land-42; upstream http://carol:comfy%2Fsecret-7@10.0.0.8:8188/prompt; "
            + "password comfy/secret-7; header Authorization: Basic YWxpY2U6d29uZGVyLWxhbmQtNDI=; other http://dave:hunter2@x.example/");

        Assert.DoesNotContain("wonder-land-42", text, StringComparison.Ordinal);
        Assert.DoesNotContain("comfy/secret-7", text, StringComparison.Ordinal);
        Assert.DoesNotContain("comfy%2Fsecret-7", text, StringComparison.Ordinal);
        Assert.DoesNotContain("YWxpY2U6d29uZGVyLWxhbmQtNDI=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal); // a URL's user info by its shape, though no setting names it
        Assert.Contains("http://[redacted]@x.example/", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRedactorOfTheWorker_KnowsTheSameCredentials_FromItsVariables()
    {
        var variables = new Dictionary<string, string?> { ["IMAGEGEN_A1111_AUTH"] = "alice:wonder-land-42", ["IMAGEGEN_COMPAT_BASE_URL"] = "http://bob:compat-pass-9@h:1" };

        var redactor = SecretRedactor.FromVariables(name => variables.GetValueOrDefault(name));

        Assert.Contains("alice:wonder-land-42", redactor.Secrets);
        Assert.Contains("wonder-land-42", redactor.Secrets);
        Assert.Contains("compat-pass-9", redactor.Secrets);
        Assert.Contains(ProviderSettings.A1111AuthVariable, ProviderSettings.Variables);
    }

    [Fact]
    public void AGeminiRequest_OverTheDocumentedInlineLimit_IsRefusedBeforeSending()
    {
        GeminiImageModel.EnsureInlineSize(GeminiImageModel.MaxInlineRequestBytes, 3);

        var error = Assert.Throws<ImageGenException>(() => GeminiImageModel.EnsureInlineSize(134_000_000, 8));

        Assert.Equal(ErrorKind.Usage, error.Kind);
        Assert.Equal("The Gemini request would be 134.0 MB with its 8 image(s) inline; the Gemini API takes at most 100 MB of inline data in one request. Send fewer or smaller images; nothing was sent.", error.Message);
    }
}
