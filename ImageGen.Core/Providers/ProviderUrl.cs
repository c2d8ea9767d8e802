namespace ImageGen.Core.Providers;

/// <summary>
/// Endpoints joined to a base URL the way the official SDKs do: the base carries the version path
/// (<c>https://api.openai.com/v1</c>), and a path is joined relative to it, so a gateway's prefix
/// (<c>https://gateway.example/openai/v1</c>) is kept and nothing is doubled (<c>/v1/v1</c>). A base that is a bare
/// origin (<c>http://localhost:8080</c>) gets the provider's usual version path, which is what a user of a
/// self-hosted server usually means.
/// </summary>
public static class ProviderUrl
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
        var builder = new UriBuilder(parsed) { Path = path + "/" + relative.TrimStart('/'), Query = query, Fragment = "" };
        return builder.Uri;
    }

    /// <summary>An absolute http(s) URL, or a usage error that names the setting's value.</summary>
    public static Uri Parse(string baseUrl) =>
        Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Generation.ImageGenException.Usage($"The base URL '{baseUrl}' is not an absolute http or https URL.");
}
