using System.Collections.Concurrent;
using ImageGen.Core.Files;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using Microsoft.Extensions.DependencyInjection;
using ImageGen.Core.Spec;

namespace ImageGen.Worker.Tests;

/// <summary>
/// An attempt's scratch folder is gone before its outcome is written: on a full disk the scratch is what fills it, and an
/// outcome written first would fail (SQLITE_FULL) and be retried for a lease while the scratch still held the space.
/// </summary>
public sealed class ScratchFacts
{
    /// <summary>Notes, for each outcome written, whether the attempt's scratch folder still existed.</summary>
    private sealed class WatchingRecorder(IRunRecorder inner, IImageStore images, ConcurrentQueue<(string Outcome, bool ScratchLeft)> seen) : IRunRecorder
    {
        public Task<RunStart?> StartAsync(ClaimedJob job, JobSpec spec, CancellationToken cancellationToken = default) =>
            inner.StartAsync(job, spec, cancellationToken);

        public Task<RunFinish> FinishAsync(ClaimedJob job, long? runId, RunOutcome outcome, CancellationToken cancellationToken = default)
        {
            seen.Enqueue((outcome.GetType().Name, Directory.Exists(images.ScratchFolder(job.Id, job.ClaimToken))));
            return inner.FinishAsync(job, runId, outcome, cancellationToken);
        }
    }

    private static WorkerTestHost Watched(ConcurrentQueue<(string, bool)> seen)
    {
        var host = new WorkerTestHost();
        host.Services = services =>
        {
            services.AddSingleton<Core.Storage.Sql.SqlRunRecorder>();
            services.AddSingleton<IRunRecorder>(sp => new WatchingRecorder(
                sp.GetRequiredService<Core.Storage.Sql.SqlRunRecorder>(), sp.GetRequiredService<IImageStore>(), seen));
        };
        return host;
    }

    [Fact]
    public async Task AFailedAttempt_FreesItsScratch_BeforeItsOutcomeIsWritten()
    {
        var seen = new ConcurrentQueue<(string, bool)>();
        await using var host = Watched(seen);
        host.Settings["IMAGEGEN_COMPAT_BASE_URL"] = "http://127.0.0.1:9"; // nothing listens: the CLI fails as transient
        await host.StartAsync();

        var jobId = await host.EnqueueAsync(new JobSpec { Model = "compat/default", Prompt = "a cup" }, maxAttempts: 1);
        await host.WaitForStatusAsync(jobId, JobStatus.Failed);

        Assert.Equal([("Failed", false)], seen.ToList());
    }

    [Fact]
    public async Task ASucceededAttempt_HasMovedItsFilesAndFreedItsScratch_BeforeItsOutcomeIsWritten()
    {
        var seen = new ConcurrentQueue<(string, bool)>();
        await using var host = Watched(seen);
        await host.StartAsync();

        var jobId = await host.EnqueueAsync();
        await host.WaitForStatusAsync(jobId, JobStatus.Succeeded);

        Assert.Equal([("Succeeded", false)], seen.ToList());
    }
}
