using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using ImageGen.Core;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Core.Telemetry;
using ImageGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using ImageGen.Core.Providers;
using ImageGen.Core.Spec;

namespace ImageGen.Worker.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ObservabilityFacts
{
    private sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

    /// <summary>Listens to the ImageGen instruments of one host only (its IMeterFactory), so parallel tests do not mix.</summary>
    private sealed class MetricsRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();

        public MetricsRecorder(IServiceProvider services)
        {
            var factory = services.GetRequiredService<IMeterFactory>();
            _ = services.GetRequiredService<QueueMetrics>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ImageGenTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
            _listener.Start();
        }

        public ConcurrentQueue<Measurement> Measurements { get; } = new();

        public IReadOnlyList<Measurement> Of(string instrument) => Measurements.Where(m => m.Instrument == instrument).ToList();

        public void Observe() => _listener.RecordObservableInstruments();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            Measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public async Task Metrics_ForASucceededJob_CountStartAndSuccessImagesAndBytes_ByModel()
    {
        await using var host = new WorkerTestHost();
        await host.StartAsync();
        using var metrics = new MetricsRecorder(host.Factory.Services);

        var jobId = await host.EnqueueAsync();
        await host.WaitForStatusAsync(jobId, JobStatus.Succeeded);

        var model = new KeyValuePair<string, object?>("model", OfflineProceduralModel.Id);
        Assert.Contains(model, Assert.Single(metrics.Of("imagegen.jobs.started")).Tags);
        Assert.Contains(model, Assert.Single(metrics.Of("imagegen.jobs.succeeded")).Tags);
        Assert.Empty(metrics.Of("imagegen.jobs.failed"));
        Assert.InRange(Assert.Single(metrics.Of("imagegen.jobs.queue_wait")).Value, 0, 30);
        var run = Assert.Single(metrics.Of("imagegen.jobs.run_duration"));
        Assert.Equal("succeeded", run.Tags["outcome"]);
        var images = Assert.Single(metrics.Of("imagegen.images.produced"));
        Assert.Equal((2.0, "png"), (images.Value, images.Tags["format"]));
        var storedBytes = await host.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT sum(bytes) FROM run_images"));
        Assert.Equal(storedBytes, Assert.Single(metrics.Of("imagegen.images.bytes")).Value);
    }

    [Fact]
    public async Task Metrics_ForAFailedJob_CountTheFailure_ByModel()
    {
        await using var host = new WorkerTestHost();
        host.Settings["Worker:CliPath"] = FakeCli.Failing(host.ScratchDirectory, ExitCodes.Permanent, "refused").Path;
        await host.StartAsync();
        using var metrics = new MetricsRecorder(host.Factory.Services);

        var jobId = await host.EnqueueAsync();
        await host.WaitForStatusAsync(jobId, JobStatus.Failed);

        var failed = Assert.Single(metrics.Of("imagegen.jobs.failed"));
        Assert.Equal(OfflineProceduralModel.Id, failed.Tags["model"]);
        Assert.Equal("failed", Assert.Single(metrics.Of("imagegen.jobs.run_duration")).Tags["outcome"]);
        Assert.Empty(metrics.Of("imagegen.jobs.succeeded"));
        Assert.Empty(metrics.Of("imagegen.images.produced"));
    }

    [Fact]
    public async Task Metrics_ForACanceledJob_CountTheCancel_ByModel()
    {
        await using var host = new WorkerTestHost();
        var cli = FakeCli.Hanging(host.ScratchDirectory);
        host.Settings["Worker:CliPath"] = cli.Path;
        await host.StartAsync();
        using var metrics = new MetricsRecorder(host.Factory.Services);
        try
        {
            var jobId = await host.EnqueueAsync();
            await Eventually.TrueAsync(() => cli.Pids.Count == 2, TimeSpan.FromSeconds(30), "the CLI to start");
            metrics.Observe();
            Assert.Contains(metrics.Of("imagegen.worker.slots_busy"), m => m.Value == 1);

            await host.Queue.CancelAsync(jobId);
            await host.WaitForStatusAsync(jobId, JobStatus.Canceled);
            // The worker counts the cancel once its transaction has committed, a moment after the status is visible.
            await Eventually.TrueAsync(() => metrics.Of("imagegen.jobs.run_duration").Any(), TimeSpan.FromSeconds(10), "the cancel to be counted");

            Assert.Equal(OfflineProceduralModel.Id, Assert.Single(metrics.Of("imagegen.jobs.canceled")).Tags["model"]);
            Assert.Equal("canceled", Assert.Single(metrics.Of("imagegen.jobs.run_duration")).Tags["outcome"]);
            Assert.Empty(metrics.Of("imagegen.jobs.failed"));
        }
        finally
        {
            cli.KillLeftovers();
        }
    }

    [Fact]
    public async Task Pause_KeepsQueuedJobsQueued_AndResumeRunsThem()
    {
        await using var host = new WorkerTestHost();
        await host.StartAsync();
        using var client = host.Client;
        var cancellationToken = TestContext.Current.CancellationToken;

        using (var pause = await client.PostAsync("/pause", null, cancellationToken))
        {
            pause.EnsureSuccessStatusCode();
        }
        var jobId = await host.EnqueueAsync();
        var firstPoll = (await client.GetFromJsonAsync<WorkerStatus>("/status", cancellationToken))!.LastPollAt;
        await Eventually.GetAsync(() => client.GetFromJsonAsync<WorkerStatus>("/status", cancellationToken)!,
            s => s!.LastPollAt > firstPoll.GetValueOrDefault().AddMilliseconds(500), TimeSpan.FromSeconds(10), "several polls while paused");

        Assert.Equal(JobStatus.Queued, (await host.Jobs.GetAsync(jobId))!.Status);
        Assert.True((await client.GetFromJsonAsync<WorkerStatus>("/status", cancellationToken))!.Paused);

        using (var resume = await client.PostAsync("/resume", null, cancellationToken))
        {
            resume.EnsureSuccessStatusCode();
        }
        await host.WaitForStatusAsync(jobId, JobStatus.Succeeded);
        Assert.False((await client.GetFromJsonAsync<WorkerStatus>("/status", cancellationToken))!.Paused);
    }

    [Fact]
    public async Task QueueGauges_ReportDepthAndOldestAge()
    {
        await using var host = new WorkerTestHost();
        host.Settings["Worker:LostJobSweepInterval"] = "00:00:00.1";
        await host.StartAsync();
        using var metrics = new MetricsRecorder(host.Factory.Services);
        await host.Queue.SetPausedAsync(true, "test");
        await host.EnqueueAsync();
        await host.EnqueueAsync();

        await Eventually.TrueAsync(() =>
        {
            metrics.Observe();
            return metrics.Of("imagegen.queue.depth").LastOrDefault()?.Value == 2;
        }, TimeSpan.FromSeconds(10), "the depth gauge to show 2");
        Assert.True(metrics.Of("imagegen.queue.oldest_age").Last().Value >= 0);
    }
}
