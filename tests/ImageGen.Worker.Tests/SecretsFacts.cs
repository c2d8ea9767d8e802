using Dapper;
using System.Text;
using ImageGen.Core.Generation;
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

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecretsFacts
{
    private const string Key = "sk-leakcheck-5f1e9a7c3b2d4e6f8a0b";

    [Fact]
    public async Task AProviderFailureWithAKeySet_LeavesTheKeyNowhere()
    {
        // A fake OpenAI that rejects the key, and says so in its own words.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var fake = builder.Build();
        var sawKey = false;
        fake.MapPost("/v1/images/generations", (HttpRequest request) =>
        {
            sawKey = request.Headers.Authorization.ToString() == $"Bearer {Key}";
            // A provider (or proxy) that echoes what it was sent, key included.
            return Results.Json(new { error = new { message = $"Incorrect API key provided: {Key}. You sent Authorization: Bearer {Key}", type = "invalid_request_error", code = "invalid_api_key" } }, statusCode: 401);
        });
        await fake.StartAsync(TestContext.Current.CancellationToken);
        var fakeUrl = fake.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        await using var host = new WorkerTestHost();
        await ImageGen.Core.Storage.Migrator.MigrateAsync(host.Database);
        var jobId = await host.EnqueueAsync(new JobSpec { Model = "openai/gpt-image-2", Prompt = "a cup", Count = 1 });
        string logs;
        using (var worker = ServiceProcess.StartWorker(host.Root.Path, new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = Key,
            ["OPENAI_BASE_URL"] = fakeUrl,
            ["Logging:LogLevel:Default"] = "Information",
        }))
        {
            var job = await host.WaitForStatusAsync(jobId, JobStatus.Failed, TimeSpan.FromSeconds(60));
            Assert.Contains("invalid_api_key", job.ErrorMessage, StringComparison.Ordinal);
            Assert.Contains("Incorrect API key provided: [redacted].", job.ErrorMessage, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, job.ErrorMessage, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, job.PayloadJson, StringComparison.Ordinal);
            var runError = await host.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT error_message FROM runs"));
            Assert.Equal(job.ErrorMessage, runError);
            // Wait for the failure's log line itself rather than a fixed delay.
            await Eventually.TrueAsync(() => worker.Output.Contains($"Job {jobId} failed", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the failure to be logged");
            logs = worker.Output;
        }

        Assert.True(sawKey, "the fake provider did not receive the key, so the test proves nothing");
        Assert.Contains("invalid_api_key", logs, StringComparison.Ordinal); // the logs do report the failure
        Assert.DoesNotContain(Key, logs, StringComparison.Ordinal);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(host.Root.Path, "imagegen.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
            Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Key)) >= 0, $"the key is in {Path.GetFileName(file)}");
        }
        Assert.Empty(host.FilesUnder("images"));
    }

    [Fact]
    public async Task MessagesStoredBeforeRedaction_AreScrubbedWhenTheWorkerStarts()
    {
        const string legacyKey = "sk-legacy-0123456789abcdefghij";
        await using var host = new WorkerTestHost();
        await ImageGen.Core.Storage.Migrator.MigrateAsync(host.Database);
        var jobId = await host.EnqueueAsync(maxAttempts: 1);
        // As an older version stored a failure whose provider echoed the key.
        await host.Database.WriteAsync((c, t) => c.ExecuteAsync("""
            UPDATE jobs SET status = 'failed', error_message = 'OpenAI answered 401: Incorrect API key provided: ' || @legacyKey WHERE id = @jobId;
            INSERT INTO runs (job_id, attempt, model, prompt, settings_json, status, error_message, created_at, updated_at)
            VALUES (@jobId, 1, 'openai/gpt-image-2', 'p', '{}', 'failed', 'Bearer ' || @legacyKey, 0, 0);
            """, new { legacyKey, jobId }, t));
        host.Settings["OPENAI_API_KEY"] = legacyKey;

        await host.StartAsync();

        await Eventually.GetAsync(() => host.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT error_message FROM jobs WHERE id = @jobId", new { jobId })),
            m => m == "OpenAI answered 401: Incorrect API key provided: [redacted]", TimeSpan.FromSeconds(10), "the stored message to be scrubbed");
        Assert.Equal("Bearer [redacted]", await host.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT error_message FROM runs")));
    }
}
