using System.Text.Json.Nodes;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Providers;

/// <summary>
/// What a provider's error body says: its code, its message, a retry delay when it gives one, and, when no retry can
/// help whatever the status (a quota of zero, an account out of credit, a bad key), what the user should do instead.
/// </summary>
internal sealed record ProviderError(string? Code, string? Message, TimeSpan? RetryAfter = null, string? Advice = null);

/// <summary>A provider's JSON answer and the request id it gave (a header or a field of the body).</summary>
internal sealed class ProviderResponse(JsonDocument document, string? requestId) : IDisposable
{
    public JsonElement Root => document.RootElement;
    public string? RequestId { get; } = requestId;
    public void Dispose() => document.Dispose();
}

/// <summary>
/// What every provider does with HTTP: send a request, and turn a failure into an <see cref="ImageGenException"/> of the
/// right kind. 408, 409, 429 and 5xx are transient, with the server's retry hint (retry-after-ms, retry-after in seconds
/// or as a date, and <c>x-should-retry</c>, which overrides the status either way); other 4xx are permanent. A failure
/// before the request could reach the server (no connection, no name) is transient. For a <paramref name="Paid"/>
/// provider a timeout or a connection lost after sending is not retried: the server may have made and billed the image,
/// so the job fails with a "may have been billed" message and the user decides (docs/PROVIDERS.md, "Slow models").
/// Keys travel only in headers and never appear in a message.
/// </summary>
internal sealed record ProviderClient(HttpClient Http, string Provider, bool Paid, Action<HttpRequestHeaders> Authorize, Func<JsonElement, ProviderError> ReadError)
{
    public Task<ProviderResponse> PostJsonAsync(Uri url, JsonNode body, CancellationToken cancellationToken) =>
        PostJsonAsync(url, body.ToJsonString(Json.Options), cancellationToken);

    /// <summary>A body already serialized (one that is sent more than once, or measured first).</summary>
    public Task<ProviderResponse> PostJsonAsync(Uri url, string json, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, url, new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);

    public Task<ProviderResponse> PostAsync(Uri url, HttpContent content, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, url, content, cancellationToken);

    public Task<ProviderResponse> GetJsonAsync(Uri url, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, url, null, cancellationToken);

    /// <summary>The bytes of a GET (an image a self-hosted server serves), within <see cref="ImageLimits.MaxBytes"/>.</summary>
    public async Task<byte[]> GetBytesAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        Authorize(request.Headers);
        using var response = await SendCoreAsync(request, url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            throw new ImageGenException(status >= 500 ? ErrorKind.Transient : ErrorKind.Permanent, $"{Provider} answered {status} for {url.AbsolutePath}.");
        }
        if (response.Content.Headers.ContentLength > ImageLimits.MaxBytes)
        {
            throw new ImageGenException(ErrorKind.Permanent, $"{Provider} answered an image larger than the {ImageLimits.MaxBytes / (1024 * 1024)} MiB limit.");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > ImageLimits.MaxBytes)
            {
                throw new ImageGenException(ErrorKind.Permanent, $"{Provider} answered an image larger than the {ImageLimits.MaxBytes / (1024 * 1024)} MiB limit.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private async Task<ProviderResponse> SendAsync(HttpMethod method, Uri url, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        Authorize(request.Headers);
        using var response = await SendCoreAsync(request, url, HttpCompletionOption.ResponseContentRead, cancellationToken);
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw LostMidway(e);
        }
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        }
        catch (JsonException)
        {
            // A proxy's HTML error page and the like: reported by status below.
        }
        var requestId = response.Headers.TryGetValues("x-request-id", out var ids) ? ids.FirstOrDefault() : null;
        if (response.IsSuccessStatusCode && document is not null)
        {
            return new ProviderResponse(document, requestId);
        }
        using (document)
        {
            var error = document is null ? new ProviderError(null, null) : ReadError(document.RootElement);
            var status = (int)response.StatusCode;
            var detail = $"{Provider} answered {status}{(error.Code is null ? "" : $" {error.Code}")}: {error.Message ?? Truncate(text)}"
                + (requestId is null ? "" : $" (request {requestId})");
            if (error.Advice is not null)
            {
                throw new ImageGenException(ErrorKind.Permanent, $"{detail} {error.Advice}");
            }
            var transient = ShouldRetry(response) ?? (status is 408 or 409 or 429 || status >= 500);
            throw new ImageGenException(transient ? ErrorKind.Transient : ErrorKind.Permanent, detail, transient ? ProviderHttp.RetryAfter(response) ?? error.RetryAfter : null);
        }
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, Uri url, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await Http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError)
        {
            // Nothing reached the server: safe to try again.
            throw new ImageGenException(ErrorKind.Transient, $"{Provider} could not be reached at {url.GetLeftPart(UriPartial.Authority)}: {e.Message}", inner: e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw LostMidway(e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            var waited = $"{Provider} did not answer within {Http.Timeout.TotalSeconds:0} s ({ProviderSettings.TimeoutVariable}).";
            throw Paid
                ? new ImageGenException(ErrorKind.Permanent, $"{waited} {MayHaveBeenBilled}", inner: e)
                : new ImageGenException(ErrorKind.Transient, waited, inner: e);
        }
    }

    /// <summary>What a paid provider's cut-off request tells the user.</summary>
    public const string MayHaveBeenBilled =
        "The request had been sent, so the provider may have made the image and it may have been billed; it was not retried automatically. "
        + "Check the provider's usage page, then use Retry to ask again (a new request, billed again).";

    private ImageGenException LostMidway(Exception e)
    {
        var lost = $"{Provider} closed the connection before the answer was complete ({e.Message}).";
        return Paid
            ? new ImageGenException(ErrorKind.Permanent, $"{lost} {MayHaveBeenBilled}", inner: e)
            : new ImageGenException(ErrorKind.Transient, lost, inner: e);
    }

    /// <summary>The <c>x-should-retry</c> header the OpenAI SDKs obey: true or false, or null when absent.</summary>
    private static bool? ShouldRetry(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-should-retry", out var values) && values.FirstOrDefault() is { } value
            ? value.Equals("true", StringComparison.OrdinalIgnoreCase) ? true : value.Equals("false", StringComparison.OrdinalIgnoreCase) ? false : null
            : null;

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

internal static class ProviderHttp
{
    /// <summary>
    /// HTTP Basic for a self-hosted server, on every request: the credentials setting when there is one, else the
    /// <c>user:password</c> written into its base URL (which <see cref="ProviderUrl.Join"/> leaves out of every URL). Both at
    /// once, or a URL's credentials beside a key sent as a bearer token, is a usage error naming the settings, not the values.
    /// </summary>
    /// <param name="bearer">A key this provider sends in <c>Authorization</c> already (the compatible server's), which excludes Basic.</param>
    public static Action<HttpRequestHeaders> BasicAuth(string baseUrl, string urlVariable, string? credentials = null, string? credentialsVariable = null, string? bearer = null, string? bearerVariable = null)
    {
        var inUrl = ProviderUrl.Credentials(baseUrl);
        if (inUrl is not null && (credentials is not null || bearer is not null))
        {
            throw ImageGenException.Usage($"{urlVariable} has a user and password in it and {credentialsVariable ?? bearerVariable} is set too: both would be the Authorization header. Keep one.");
        }
        var basic = credentials ?? inUrl;
        return headers =>
        {
            if (basic is not null)
            {
                headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
            }
            else if (bearer is not null)
            {
                headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }
        };
    }

    public static string? String(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static JsonElement Property(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

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

    /// <summary>The same fields as a JSON body (for the generations endpoint): <c>n</c> and <c>seed</c> as numbers, the rest as text.</summary>
    public static StringContent FieldsAsJson(IEnumerable<KeyValuePair<string, string>> fields) =>
        new(new JsonObject(fields.Select(f => KeyValuePair.Create(f.Key,
                (JsonNode?)(f.Key is "n" or "seed" ? JsonValue.Create(long.Parse(f.Value, CultureInfo.InvariantCulture)) : JsonValue.Create(f.Value)))))
            .ToJsonString(Json.Options), Encoding.UTF8, "application/json");

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

}
