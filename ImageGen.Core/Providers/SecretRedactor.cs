using System.Text.RegularExpressions;

namespace ImageGen.Core.Providers;

/// <summary>
/// Takes secrets out of text that came from a provider or a proxy (an error message may echo the request's key)
/// before it is stored, logged, traced, shown or exported. It removes every configured key verbatim, and anything
/// shaped like a credential: a bearer token, an OpenAI-style <c>sk-…</c> key, a Google <c>AIza…</c> key, and the
/// value of a <c>key=</c>/<c>api_key=</c> query or header.
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

    /// <summary>Knows the provider keys and passwords in <paramref name="settings"/> (every secret of <see cref="ProviderSettingTable"/>; a test holds the two together).</summary>
    public static SecretRedactor For(ProviderSettings settings) =>
        new([settings.OpenAiApiKey, settings.GeminiApiKey, settings.CompatApiKey, settings.A1111Auth]);

    /// <summary>Knows the provider keys a process was given (the same variables <see cref="ProviderSettings"/> reads).</summary>
    public static SecretRedactor FromVariables(Func<string, string?> read) =>
        new(ProviderSettings.KeyVariables.Select(read));

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
        text = KeyParameter().Replace(text, "$1" + Mask);
        return KnownKeyShape().Replace(text, Mask);
    }

    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);

    /// <summary>The configured secrets this redactor masks verbatim (for scrubbing what was stored before).</summary>
    public IReadOnlyList<string> Secrets => _secrets;

    [GeneratedRegex(@"(\bBearer\s+)(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"(\b(?:x-goog-api-key|x-api-key|api[_-]?key|key)[""']?\s*[=:]\s*[""']?)(?!\[redacted\])[A-Za-z0-9._~+/-]{8,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeyParameter();

    [GeneratedRegex(@"\b(?:sk-[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{20,})", RegexOptions.CultureInvariant)]
    private static partial Regex KnownKeyShape();
}
