using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ImageGen.Core.Generation;

namespace ImageGen.Core.Providers;

/// <summary>
/// What every provider does with HTTP: send JSON, and turn a failure into an <see cref="ImageGenException"/> of
/// the right kind. 408, 409, 429 and 5xx are transient, with the server's retry hint (retry-after-ms,
/// retry-after in seconds or as a date); network errors and timeouts are transient; other 4xx are permanent.
/// Keys travel only in headers and never appear in a message.
/// </summary>
/// <summary>What a provider's error body says: its code, its message, and a retry delay when it gives one.</summary>
internal sealed record ProviderError(string? Code, string? Message, TimeSpan? RetryAfter = null);

internal static class ProviderHttp
{
    public static string? String(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static JsonElement Property(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static async Task<JsonDocument> PostJsonAsync(
        HttpClient http, string provider, Uri url, object body, Action<HttpRequestHeaders> authorize,
        Func<JsonElement, ProviderError> readError, Func<string?, bool>? permanentCode, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(JsonSerializer.Serialize(body, Json.Options), Encoding.UTF8, "application/json"),
        };
        authorize(request.Headers);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ImageGenException(ErrorKind.Transient, $"{provider} could not be reached at {url.GetLeftPart(UriPartial.Authority)}: {e.Message}", inner: e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImageGenException(ErrorKind.Transient, $"{provider} did not answer within {http.Timeout.TotalSeconds:0} s.", inner: e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonDocument? document = null;
            try
            {
                document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            }
            catch (JsonException)
            {
                // A proxy's HTML error page and the like: reported by status below.
            }
            if (response.IsSuccessStatusCode && document is not null)
            {
                return document;
            }
            using (document)
            {
                var (code, message, bodyRetry) = document is null ? new ProviderError(null, null) : readError(document.RootElement);
                var status = (int)response.StatusCode;
                var detail = $"{provider} answered {status}{(code is null ? "" : $" {code}")}: {message ?? Truncate(text)}";
                var transient = status is 408 or 409 or 429 || status >= 500;
                if (permanentCode?.Invoke(code) == true)
                {
                    transient = false;
                }
                throw new ImageGenException(transient ? ErrorKind.Transient : ErrorKind.Permanent, detail, transient ? RetryAfter(response) ?? bodyRetry : null);
            }
        }
    }

    /// <summary>retry-after-ms, else retry-after (seconds or an HTTP date).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }
        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };
    }

    public static async Task<byte[]> DownloadAsync(HttpClient http, string provider, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return await http.GetByteArrayAsync(url, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            var transient = e.StatusCode is null or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int?)e.StatusCode >= 500;
            throw new ImageGenException(transient ? ErrorKind.Transient : ErrorKind.Permanent, $"{provider} returned an image URL that could not be fetched: {e.Message}", inner: e);
        }
    }

    public static byte[] DecodeBase64(string provider, string? data) =>
        data is null
            ? throw new ImageGenException(ErrorKind.Permanent, $"{provider} answered without image data.")
            : Convert.FromBase64String(data);

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
