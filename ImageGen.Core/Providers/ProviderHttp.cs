using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;

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

    public static Task<JsonDocument> PostJsonAsync(
        HttpClient http, string provider, Uri url, object body, Action<HttpRequestHeaders> authorize,
        Func<JsonElement, ProviderError> readError, Func<string?, bool>? permanentCode, CancellationToken cancellationToken) =>
        PostAsync(http, provider, url, new StringContent(JsonSerializer.Serialize(body, Json.Options), Encoding.UTF8, "application/json"),
            authorize, readError, permanentCode, cancellationToken);

    /// <summary>
    /// A multipart form as the OpenAI edits endpoint takes it: each field as text, then each image as a file part named
    /// <paramref name="imageField"/> with its real content type, then the mask when there is one.
    /// </summary>
    public static MultipartFormDataContent Multipart(IEnumerable<KeyValuePair<string, string>> fields, string imageField, IEnumerable<InputImage> images, InputImage? mask)
    {
        // As a browser sends a form, which every server parses: a bare boundary, quoted names and file names (no
        // filename*), text fields without a content type of their own.
        var boundary = Guid.NewGuid().ToString("N");
        var form = new MultipartFormDataContent(boundary);
        form.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        foreach (var (name, value) in fields)
        {
            var text = new StringContent(value, Encoding.UTF8);
            text.Headers.ContentType = null;
            text.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quoted(name) };
            form.Add(text);
        }
        var index = 0;
        foreach (var image in images)
        {
            form.Add(ImagePart(image, imageField, $"image-{++index}.{ImageFormats.Extension(image.Format)}"));
        }
        if (mask is not null)
        {
            form.Add(ImagePart(mask, "mask", "mask.png"));
        }
        return form;

        static ByteArrayContent ImagePart(InputImage image, string field, string fileName)
        {
            var part = new ByteArrayContent(image.Bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(image.ContentType);
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quoted(field), FileName = Quoted(fileName) };
            return part;
        }

        static string Quoted(string value) => $"\"{value}\"";
    }

    /// <summary>The same fields as a JSON body (for the generations endpoint): <c>n</c> as a number, the rest as text.</summary>
    public static StringContent FieldsAsJson(IEnumerable<KeyValuePair<string, string>> fields) =>
        new(JsonSerializer.Serialize(
            fields.ToDictionary(f => f.Key, f => f.Key == "n" ? int.Parse(f.Value, CultureInfo.InvariantCulture) : (object)f.Value), Json.Options),
            Encoding.UTF8, "application/json");

    public static async Task<JsonDocument> PostAsync(
        HttpClient http, string provider, Uri url, HttpContent content, Action<HttpRequestHeaders> authorize,
        Func<JsonElement, ProviderError> readError, Func<string?, bool>? permanentCode, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
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

    /// <summary>
    /// Decodes an image the provider sent as base64, refusing data over <see cref="ImageLimits.MaxBytes"/> before decoding
    /// it and data that is not base64 (cut off, or not an image at all) with a sentence instead of a stack trace.
    /// </summary>
    public static byte[] DecodeBase64(string provider, string? data)
    {
        if (data is null)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"{provider} answered without image data.");
        }
        if (data.Length > ImageLimits.MaxBytes / 3 * 4 + 4)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"{provider} answered an image larger than the {ImageLimits.MaxBytes / (1024 * 1024)} MiB limit.");
        }
        try
        {
            return Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"{provider} answered image data that is not valid base64 ({data.Length} characters; it may have been cut off).");
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
