using System.Text.RegularExpressions;

namespace ImageGen.Core.Providers;

/// <summary>
/// Takes secrets out of text that came from a provider or a proxy (an error message may echo the request's key)
/// before it is stored, logged, traced, shown or exported. It removes every configured key verbatim, and anything
/// shaped like a credential: a bearer or Basic token, the user info of a URL (<c>http://user:pass@host</c>), an
/// OpenAI-style <c>sk-…</c> key, a Google <c>AIza…</c> key, and the value of a <c>key=</c>/<c>api_key=</c> query or header.
/// </summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "[redacted]";

    /// <summary>Shorter "keys" are not masked verbatim: masking "ab" everywhere would mangle the message for nothing.</summary>
    public const int MinSecretLength = 8;

    private readonly string[] _secrets;

    public SecretRedactor(IEnumerable<string?> secrets) =>
        // Longest first, so a key that contains another is masked whole.
        _secrets = secrets.Where(s => s is { Length: >= MinSecretLength }).Select(s => s!.Trim()).Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length).ToArray();

    /// <summary>
    /// Knows the provider keys and credentials in <paramref name="settings"/> (every secret of <see cref="ProviderSettingTable"/>;
    /// a test holds the two together), with those written into its base URLs.
    /// </summary>
    public static SecretRedactor For(ProviderSettings settings) =>
        new(WithParts([settings.OpenAiApiKey, settings.GeminiApiKey, settings.CompatApiKey, settings.A1111Auth],
            [settings.OpenAiBaseUrl, settings.GeminiBaseUrl, settings.CompatBaseUrl, settings.A1111BaseUrl, settings.ComfyUiBaseUrl]));

    /// <summary>Knows the provider keys and credentials a process was given (the same variables <see cref="ProviderSettings"/> reads).</summary>
    public static SecretRedactor FromVariables(Func<string, string?> read) =>
        new(WithParts(ProviderSettings.KeyVariables.Select(read), ProviderSettings.BaseUrlVariables.Select(read)));

    /// <summary>
    /// The secrets verbatim, plus the password alone of each <c>user:password</c> (the setting's, and a base URL's, as
    /// written and unescaped): a server or proxy may echo either.
    /// </summary>
    private static IEnumerable<string?> WithParts(IEnumerable<string?> secrets, IEnumerable<string?> baseUrls)
    {
        foreach (var secret in secrets)
        {
            yield return secret;
            if (secret?.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon)
            {
                yield return secret[(colon + 1)..];
            }
        }
        foreach (var url in baseUrls)
        {
            if (url is not null && Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
            {
                foreach (var info in new[] { uri.UserInfo, Uri.UnescapeDataString(uri.UserInfo) })
                {
                    yield return info;
                    if (info.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon)
                    {
                        yield return info[(colon + 1)..];
                    }
                }
            }
        }
    }

    /// <summary>Only the credential shapes: for processes that hold no keys.</summary>
    public static SecretRedactor ShapesOnly { get; } = new([]);

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }
        text = BearerToken().Replace(text, "$1" + Mask);
        text = BasicToken().Replace(text, "$1" + Mask);
        text = UrlUserInfo().Replace(text, "$1" + Mask + "@");
        text = KeyParameter().Replace(text, "$1" + Mask);
        return KnownKeyShape().Replace(text, Mask);
    }

    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);

    /// <summary>The configured secrets this redactor masks verbatim (for scrubbing what was stored before).</summary>
    public IReadOnlyList<string> Secrets => _secrets;

    [GeneratedRegex(@"(\bBearer\s+)(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"(\bBasic\s+)(?!\[redacted\])[A-Za-z0-9+/=]{8,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BasicToken();

    /// <summary>The user info of a URL (<c>http://user:pass@host</c>): a password written into a base URL.</summary>
    [GeneratedRegex(@"(\b[a-z][a-z0-9+.-]*://)(?!\[redacted\]@)[^/?#\s@]+@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();

    [GeneratedRegex(@"(\b(?:x-goog-api-key|x-api-key|api[_-]?key|key)[""']?\s*[=:]\s*[""']?)(?!\[redacted\])[A-Za-z0-9._~+/-]{8,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeyParameter();

    [GeneratedRegex(@"\b(?:sk-[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{20,})", RegexOptions.CultureInvariant)]
    private static partial Regex KnownKeyShape();
}
