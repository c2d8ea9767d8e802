using System.Collections.Concurrent;
using System.Text.Json;
using ImageGen.Core.Imaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ImageGen.Core.Spec;

namespace ImageGen.Cli.Tests;

/// <summary>
/// A request as the fake provider received it. A multipart request's text fields are its <see cref="Body"/> (as a JSON
/// object of strings) and its files are <see cref="Files"/>, in the order sent.
/// </summary>
public sealed record ProviderRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, JsonElement Body)
{
    public IReadOnlyList<ProviderFile> Files { get; init; } = [];
    public string ContentType => Headers.TryGetValue("content-type", out var type) ? type : "";
}

/// <summary>One file part of a multipart request.</summary>
public sealed record ProviderFile(string Field, string FileName, string ContentType, byte[] Bytes)
{
    public string Sha256 => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Bytes));
}

/// <summary>
/// A stand-in image API on a real loopback Kestrel port: records every request and answers what the test says.
/// <c>GET /files/{name}</c> serves <see cref="Png"/>, for servers that answer with a URL.
/// </summary>
public sealed class FakeProvider : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeProvider(WebApplication app) => _app = app;

    public ConcurrentQueue<ProviderRequest> Requests { get; } = new();

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>A 64×48 PNG, what the fakes return as "generated" images.</summary>
    public static byte[] Png { get; } = ImageEncoder.EncodeRgb(Enumerable.Repeat((byte)180, 64 * 48 * 3).ToArray(), 64, 48, ImageFormats.Png, null);

    public static byte[] Jpeg { get; } = ImageEncoder.EncodeRgb(Enumerable.Repeat((byte)90, 64 * 64 * 3).ToArray(), 64, 64, ImageFormats.Jpeg, null);

    /// <param name="get">Answers GETs other than <c>/files/{name}</c> (ComfyUI's history and view); 404 when null.</param>
    public static async Task<FakeProvider> StartAsync(Func<ProviderRequest, IResult> answer, Func<ProviderRequest, IResult>? get = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new FakeProvider(app);
        app.MapGet("/files/{name}", (string name) => Results.Bytes(Png, "image/png"));
        app.MapGet("/{**path}", (HttpRequest request) =>
        {
            // The request target as sent (path and query, still escaped): a '?' escaped into the path shows as %3F.
            var target = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
            var recorded = new ProviderRequest(request.Method, target,
                request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), default);
            provider.Requests.Enqueue(recorded);
            return get?.Invoke(recorded) ?? Results.NotFound();
        });
        app.MapPost("/{**path}", async (HttpRequest request) =>
        {
            var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            ProviderRequest recorded;
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync();
                var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString());
                var files = new List<ProviderFile>();
                foreach (var file in form.Files)
                {
                    using var buffer = new MemoryStream();
                    await file.CopyToAsync(buffer);
                    files.Add(new ProviderFile(file.Name, file.FileName, file.ContentType, buffer.ToArray()));
                }
                recorded = new ProviderRequest(request.Method, request.Path.Value!, headers, JsonSerializer.SerializeToElement(fields)) { Files = files };
            }
            else
            {
                using var document = await JsonDocument.ParseAsync(request.Body);
                recorded = new ProviderRequest(request.Method, request.Path.Value!, headers, document.RootElement.Clone());
            }
            provider.Requests.Enqueue(recorded);
            return answer(recorded);
        });
        await app.StartAsync();
        return provider;
    }

    public static IResult Json(object body, int status = 200, IDictionary<string, string>? headers = null) =>
        new JsonWithHeaders(body, status, headers);

    /// <summary>Answers <paramref name="then"/> after <paramref name="delay"/>, or never when the caller goes away first.</summary>
    public static IResult Delayed(TimeSpan delay, IResult then) => new DelayedResult(delay, then);

    private sealed class DelayedResult(TimeSpan delay, IResult then) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            try
            {
                await Task.Delay(delay, httpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await then.ExecuteAsync(httpContext);
        }
    }

    /// <summary>Drops the connection without an answer, as a connection lost mid-response looks to the client.</summary>
    public static IResult Abort() => new AbortResult();

    private sealed class AbortResult : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Abort();
            return Task.CompletedTask;
        }
    }

    /// <summary>A body sent as it is (JSON or not), with a status.</summary>
    public static IResult Raw(string body, int status, string contentType = "application/json") =>
        Results.Content(body, contentType, System.Text.Encoding.UTF8, status);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed class JsonWithHeaders(object body, int status, IDictionary<string, string>? headers) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                httpContext.Response.Headers[name] = value;
            }
            httpContext.Response.StatusCode = status;
            return httpContext.Response.WriteAsJsonAsync(body);
        }
    }
}
