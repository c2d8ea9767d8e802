using ImageGen.Core.Spec;
namespace ImageGen.Core.Providers;

/// <summary>
/// Endpoints joined to a base URL the way the official SDKs do: the base carries the version path
/// (<c>https://api.openai.com/v1</c>), and a path is joined relative to it, so a gateway's prefix
/// (<c>https://gateway.example/openai/v1</c>) is kept and nothing is doubled (<c>/v1/v1</c>). A base that is a bare
/// origin (<c>http://localhost:8080</c>) gets the provider's usual version path, which is what a user of a
/// self-hosted server usually means.
/// </summary>
public static partial class ProviderUrl
{
    /// <param name="versionPath">Added only to a bare origin: <c>v1</c> (OpenAI and compatible servers), <c>v1beta</c>
    /// (Gemini), or empty (AUTOMATIC1111, ComfyUI, whose paths start at the root).</param>
    public static Uri Join(string baseUrl, string versionPath, string relativePath)
    {
        var parsed = Parse(baseUrl);
        var path = parsed.AbsolutePath.TrimEnd('/');
        if (path.Length == 0 && versionPath.Length > 0)
        {
            path = "/" + versionPath;
        }
        // A query in the relative part stays a query (ComfyUI's /view?filename=…), never an escaped part of the path.
        var at = relativePath.IndexOf('?', StringComparison.Ordinal);
        var query = at >= 0 ? relativePath[(at + 1)..] : "";
        var relative = at >= 0 ? relativePath[..at] : relativePath;
        // Without the user info: credentials in a base URL travel as a header (Credentials), never in a URL that a
        // message, a log or a span could show.
        var builder = new UriBuilder(parsed) { UserName = "", Password = "", Path = path + "/" + relative.TrimStart('/'), Query = query, Fragment = "" };
        return builder.Uri;
    }

    /// <summary>An absolute http(s) URL, or a usage error that names the setting's value (its credentials masked).</summary>
    public static Uri Parse(string baseUrl) =>
        Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Spec.ImageGenException.Usage($"The base URL '{Redact(baseUrl)}' is not an absolute http or https URL.");

    /// <summary>
    /// The <c>user:password</c> written into a base URL (<c>http://user:pass@host</c>), unescaped; null when there is none.
    /// The self-hosted providers send it as HTTP Basic (<see cref="ProviderHttp.BasicAuth"/>).
    /// </summary>
    public static string? Credentials(string? baseUrl) =>
        baseUrl is not null && Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? Uri.UnescapeDataString(uri.UserInfo)
            : null;

    /// <summary>A URL as text with any user info masked, for a message about a value that is not a valid URL.</summary>
    public static string Redact(string url) => UserInfo().Replace(url, "$1" + SecretRedactor.Mask + "@");

    [System.Text.RegularExpressions.GeneratedRegex(@"(://)[^/?#\s]*@", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex UserInfo();
}
