using System.Text.Json;
using Dapper;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Core.Queue;
using ImageGen.Testing;
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
/// What a paid provider's answers become in the worker, with the real CLI: the images of a job that failed part-way are
/// kept and its retry asks only for the rest; a request that may have been billed is not retried; cost and the provider's
/// facts are stored with the run.
/// </summary>
public sealed class PaidWorkFacts
{
    private sealed record RunRow(long Id, long Attempt, string Status, string? ErrorMessage, long? Missing, double? CostUsd, string? ProviderJson);

    private static readonly string Png = Convert.ToBase64String(ImageEncoder.EncodeRgb(Enumerable.Repeat((byte)120, 32 * 32 * 3).ToArray(), 32, 32, ImageFormats.Png, null));

    /// <summary>A Gemini generateContent endpoint on loopback whose answers the test scripts call by call.</summary>
    private sealed class FakeGemini(WebApplication app) : IAsyncDisposable
    {
        public int Calls;
        public string Url => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1beta";

        public static async Task<FakeGemini> StartAsync(Func<int, IResult> answer)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var fake = new FakeGemini(app);
            app.MapPost("/{**path}", () => answer(Interlocked.Increment(ref fake.Calls)));
            await app.StartAsync();
            return fake;
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }

    private static IResult Image(int call) => Results.Json(new
    {
        candidates = new[] { new { content = new { parts = new object[] { new { inlineData = new { mimeType = "image/png", data = Png } } } }, finishReason = "STOP" } },
        usageMetadata = new { promptTokenCount = 10, candidatesTokenCount = 1120 },
        modelVersion = "gemini-3.1-flash-image-001",
        responseId = $"resp-{call}",
    });

    [Fact]
    public async Task AJobThatFailsPartWay_KeepsItsImages_AndTheRetryAsksOnlyForTheRest()
    {
        // Calls 1 and 2 make images, call 3 fails (overloaded), the retry's call 4 makes the last one.
        await using var gemini = await FakeGemini.StartAsync(call => call == 3
            ? Results.Json(new { error = new { code = 503, message = "The model is overloaded.", status = "UNAVAILABLE" } }, statusCode: 503)
            : Image(call));
        await using var host = new WorkerTestHost();
        host.Settings["GEMINI_API_KEY"] = "AIza-test-paid";
        host.Settings["GEMINI_BASE_URL"] = gemini.Url;
        host.Settings["Queue:RetryBaseDelay"] = "00:00:00.2";
        await host.StartAsync();

        var jobId = await host.EnqueueAsync(new JobSpec { Model = "google/gemini-3.1-flash-image", Prompt = "a hero", Count = 3, Size = "32x32" });
        await host.WaitForStatusAsync(jobId, JobStatus.Succeeded);

        Assert.Equal(4, gemini.Calls); // 3 asked, 1 failed, and only the missing one asked again
        var runs = (await host.ReadAsync(c => c.QueryAsync<RunRow>(
            "SELECT id, attempt, status, error_message, missing, cost_usd, provider_json FROM runs ORDER BY id"))).ToList();
        Assert.Equal(2, runs.Count);
        Assert.Equal((1L, RunStatus.Succeeded, 1L), (runs[0].Attempt, runs[0].Status, runs[0].Missing));
        Assert.Equal("Gemini answered 503 UNAVAILABLE: The model is overloaded. 2 of 3 images had arrived and were kept; 1 missing.", runs[0].ErrorMessage);
        Assert.Equal((2L, RunStatus.Succeeded, (long?)null, (string?)null), (runs[1].Attempt, runs[1].Status, runs[1].Missing, runs[1].ErrorMessage));
        var images = (await host.ReadAsync(c => c.QueryAsync<long>("SELECT run_id FROM run_images ORDER BY id"))).ToList();
        Assert.Equal([runs[0].Id, runs[0].Id, runs[1].Id], images);
        // Each run's cost from its own calls' usage: 10 text tokens at $0.50/M and 1,120 image tokens at $60/M per image.
        Assert.Equal(2 * (10 * 0.5 + 1120 * 60.0) / 1e6, runs[0].CostUsd!.Value, 9);
        Assert.Equal((10 * 0.5 + 1120 * 60.0) / 1e6, runs[1].CostUsd!.Value, 9);
        var facts = RunFacts.FromJson(runs[0].ProviderJson)!;
        Assert.Equal(["resp-1", "resp-2"], facts.RequestIds);
        Assert.Equal("gemini-3.1-flash-image-001", facts.ModelVersion);
        Assert.Equal("seed not supported", facts.SeedNote);
        Assert.Equal("1:1 at 512", facts.SentSize);
    }

    [Fact]
    public async Task ARequestCutOffAfterSending_FailsOnce_AsMayHaveBeenBilled_WithoutAnotherCall()
    {
        await using var gemini = await FakeGemini.StartAsync(call => new DelayedImage(call));
        await using var host = new WorkerTestHost();
        host.Settings["GEMINI_API_KEY"] = "AIza-test-paid";
        host.Settings["GEMINI_BASE_URL"] = gemini.Url;
        host.Settings["IMAGEGEN_REQUEST_TIMEOUT"] = "1";
        await host.StartAsync();

        var jobId = await host.EnqueueAsync(new JobSpec { Model = "google/gemini-3.1-flash-image", Prompt = "a slow hero", Count = 1, Size = "32x32" });
        var job = await host.WaitForStatusAsync(jobId, JobStatus.Failed);

        Assert.Equal(1, gemini.Calls);
        Assert.Equal(1, job.Attempt); // attempts were left, and none was used
        Assert.Contains("may have been billed", job.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("use Retry", job.ErrorMessage, StringComparison.Ordinal);
    }

    private sealed class DelayedImage(int call) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(4), httpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await Image(call).ExecuteAsync(httpContext);
        }
    }
}
