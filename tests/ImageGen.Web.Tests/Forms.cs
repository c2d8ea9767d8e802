using System.Net;
using System.Text.RegularExpressions;

namespace ImageGen.Web.Tests;

/// <summary>Posts forms the way a browser does: GET the page, take its anti-forgery token, POST the fields.</summary>
internal static partial class Forms
{
    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]+)" """)]
    private static partial Regex TokenPattern();

    [GeneratedRegex("""name="Generate.IdempotencyKey" value="([^"]+)" """)]
    private static partial Regex IdempotencyKeyPattern();

    public static async Task<string> GetPageAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} gave {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string pageUrl, IDictionary<string, string> fields, string? actionUrl = null) =>
        PostPairsAsync(client, pageUrl, fields, actionUrl);

    /// <summary>As <see cref="PostAsync"/>, with repeated keys allowed (a multi-select).</summary>
    public static async Task<HttpResponseMessage> PostPairsAsync(HttpClient client, string pageUrl, IEnumerable<KeyValuePair<string, string>> fields, string? actionUrl = null)
    {
        var html = await GetPageAsync(client, pageUrl);
        var token = TokenPattern().Match(html);
        Assert.True(token.Success, $"{pageUrl} has no anti-forgery token");
        var content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value))));
        return await client.PostAsync(actionUrl ?? pageUrl, content, TestContext.Current.CancellationToken);
    }

    /// <summary>Posts a multipart form with one file, as a browser's file input does.</summary>
    public static async Task<HttpResponseMessage> PostFileAsync(HttpClient client, string pageUrl, string actionUrl, string fileName, byte[] bytes, string contentType, IDictionary<string, string> fields)
    {
        var html = await GetPageAsync(client, pageUrl);
        var token = TokenPattern().Match(html);
        Assert.True(token.Success, $"{pageUrl} has no anti-forgery token");
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields.Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value))))
        {
            content.Add(new StringContent(value), name);
        }
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        content.Add(file, "file", fileName);
        return await client.PostAsync(actionUrl, content, TestContext.Current.CancellationToken);
    }

    public static string IdempotencyKey(string html) => IdempotencyKeyPattern().Match(html).Groups[1].Value;

    public static async Task<string> BodyAsync(HttpResponseMessage response) =>
        await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
}
