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

namespace ImageGen.Worker.Tests;

/// <summary>
/// A paid, slow image API on a real loopback port (an OpenAI-compatible server, <c>compat/default</c>): each call takes
/// <see cref="Delay"/> and then answers one PNG. It counts calls per prompt, and how many of one prompt were in flight
/// at once: two at once means one job had two CLIs alive at once, each paying for the same image.
/// </summary>
public sealed class SlowProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private readonly ConcurrentDictionary<string, int> _maxInFlight = new();
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private int _aborted;

    private SlowProvider(WebApplication app) => _app = app;

    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>The most calls for one prompt that were in flight together, over every prompt.</summary>
    public int MaxConcurrentForOnePrompt => _maxInFlight.Values.DefaultIfEmpty(0).Max();

    public int CallsFor(string prompt) => _calls.GetValueOrDefault(prompt);

    public int InFlight => _inFlight.Values.Sum();

    /// <summary>Calls whose caller went away before the answer (its CLI ended).</summary>
    public int Aborted => Volatile.Read(ref _aborted);

    private static readonly string Png = Convert.ToBase64String(
        ImageEncoder.EncodeRgb(Enumerable.Repeat((byte)120, 32 * 32 * 3).ToArray(), 32, 32, ImageFormats.Png, null));

    public static async Task<SlowProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new SlowProvider(app);
        app.MapPost("/v1/images/generations", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            // The composed prompt's first line names the job in these tests.
            var prompt = body.RootElement.GetProperty("prompt").GetString()!.Split('\n')[0];
            provider._calls.AddOrUpdate(prompt, 1, (_, n) => n + 1);
            var now = provider._inFlight.AddOrUpdate(prompt, 1, (_, n) => n + 1);
            provider._maxInFlight.AddOrUpdate(prompt, now, (_, n) => Math.Max(n, now));
            try
            {
                await Task.Delay(provider.Delay, context.RequestAborted);
                return Results.Json(new { created = 1, data = new[] { new { b64_json = Png } } });
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref provider._aborted);
                return Results.Empty;
            }
            finally
            {
                provider._inFlight.AddOrUpdate(prompt, 0, (_, n) => n - 1);
            }
        });
        await app.StartAsync();
        return provider;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
