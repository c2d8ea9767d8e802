using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Dapper;
using ImageGen.Core;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Core.Queue;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Worker.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GenerateJobFacts
{
    private sealed record RunRow(long Id, long Attempt, string Status, string? ErrorMessage, long CreatedAt, long? FinishedAt);

    private sealed record ImageRow(long RunId, string Path, string Format, long Width, long Height, long Bytes, string Sha256, long? Seed, string? ThumbnailPath);

    [Fact]
    public async Task Job_Succeeds_AndEveryImageRowHasItsFileWithTheRecordedSizeAndHash()
    {
        await using var host = new WorkerTestHost();
        await host.StartAsync();

        var jobId = await host.EnqueueAsync(new JobSpec { Model = "offline/procedural", Prompt = "a hero banner #1144aa #ffcc00", Count = 2, Size = "256x128", Seed = 5, Origin = new JobOrigin { Adjustment = "brighter" } });
        var job = await host.WaitForStatusAsync(jobId, JobStatus.Succeeded);

        Assert.Equal(1, job.Attempt);
        Assert.Equal("brighter", await host.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT adjustment FROM runs")));
        var run = Assert.Single(await host.ReadAsync(c => c.QueryAsync<RunRow>("SELECT id, attempt, status, error_message, created_at, finished_at FROM runs")));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var images = (await host.ReadAsync(c => c.QueryAsync<ImageRow>("SELECT run_id, path, format, width, height, bytes, sha256, seed, thumbnail_path FROM run_images ORDER BY id"))).ToList();
        Assert.Equal(2, images.Count);
        Assert.Equal([5L, 6L], images.Select(i => i.Seed));
        foreach (var image in images)
        {
            Assert.StartsWith($"images/demo/hero/run-{run.Id}/", image.Path, StringComparison.Ordinal);
            var file = host.Root.ResolveRelative(image.Path)!;
            Assert.Equal(image.Bytes, new FileInfo(file).Length);
            Assert.Equal(image.Sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))));
            Assert.Equal(("png", 256L, 128L), (image.Format, image.Width, image.Height));
            Assert.StartsWith($"images/demo/hero/run-{run.Id}/thumbs/", image.ThumbnailPath, StringComparison.Ordinal);
            Assert.Equal(("webp", 256, 128), ImageEncoder.Probe(host.Root.ResolveRelative(image.ThumbnailPath!)!)); // fits 768, never enlarged
        }
        Assert.True(File.Exists(Path.Combine(host.Root.Path, "images", "demo", "hero", $"run-{run.Id}", GenerateManifest.SidecarFileName)));
        Assert.Equal("review", await host.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT status FROM work_items WHERE id = 1"))); // candidates to look at
        await host.WaitForEmptyTempAsync();
    }

    [Fact]
    public async Task PermanentFailure_FailsAtOnceWithTheCliMessage_AndLeavesNoFilesOrRows()
    {
        await using var host = new WorkerTestHost();
        var cli = FakeCli.Failing(host.ScratchDirectory, ExitCodes.Permanent, "refused",
            jsonError: """{"error":{"kind":"permanent","message":"Your request was rejected by the safety system."}}""");
        host.Settings["Worker:CliPath"] = cli.Path;
        await host.StartAsync();

        var jobId = await host.EnqueueAsync();
        var job = await host.WaitForStatusAsync(jobId, JobStatus.Failed);

        Assert.Equal(1, job.Attempt);
        Assert.Equal("Your request was rejected by the safety system.", job.ErrorMessage);
        var run = Assert.Single(await host.ReadAsync(c => c.QueryAsync<RunRow>("SELECT id, attempt, status, error_message, created_at, finished_at FROM runs")));
        Assert.Equal((RunStatus.Failed, job.ErrorMessage), (run.Status, run.ErrorMessage));
        Assert.Equal(0, await host.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM run_images")));
        Assert.Empty(host.FilesUnder("images"));
        await host.WaitForEmptyTempAsync();
    }

    [Fact]
    public async Task TransientFailure_RetriesWithGrowingDelays_ThenFailsWithTheCliMessage()
    {
        await using var host = new WorkerTestHost();
        host.Settings["Worker:CliPath"] = FakeCli.Failing(host.ScratchDirectory, ExitCodes.Transient, "rate limited (429)").Path;
        host.Settings["Queue:RetryBaseDelay"] = "00:00:00.4";
        await host.StartAsync();

        var jobId = await host.EnqueueAsync(maxAttempts: 3);
        // The delay each failure chose is run_after - updated_at of the requeued row: read it, never time it.
        var delays = new List<long>();
        foreach (var attempt in new[] { 1, 2 })
        {
            var requeued = await Eventually.GetAsync(async () => (await host.Jobs.GetAsync(jobId))!,
                j => j.Attempt == attempt && j.Status == JobStatus.Queued, TimeSpan.FromSeconds(30), $"attempt {attempt} to fail and be requeued");
            delays.Add(requeued.RunAfter - requeued.UpdatedAt);
        }
        var job = await host.WaitForStatusAsync(jobId, JobStatus.Failed);

        Assert.Equal(3, job.Attempt);
        Assert.Equal("rate limited (429) (gave up after 3 attempts)", job.ErrorMessage);
        var runs = (await host.ReadAsync(c => c.QueryAsync<RunRow>("SELECT id, attempt, status, error_message, created_at, finished_at FROM runs ORDER BY id"))).ToList();
        Assert.Equal([1L, 2L, 3L], runs.Select(r => r.Attempt));
        Assert.All(runs, r => Assert.Equal(RunStatus.Failed, r.Status));
        // 0.4 s then 0.8 s nominal, each within its ±25% jitter: the ranges do not overlap, so the delays grow.
        Assert.InRange(delays[0], 300, 500);
        Assert.InRange(delays[1], 600, 1_000);
        Assert.Empty(host.FilesUnder("images"));
        await host.WaitForEmptyTempAsync();
    }

    [Fact]
    public async Task TransientFailure_WithARetryHintFromTheProvider_WaitsAtLeastThatLong()
    {
        await using var host = new WorkerTestHost();
        host.Settings["Worker:CliPath"] = FakeCli.Failing(host.ScratchDirectory, ExitCodes.Transient, "rate limited",
            jsonError: """{"error":{"kind":"transient","message":"OpenAI answered 429 rate_limit_exceeded: slow down","retryAfterSeconds":30}}""").Path;
        await host.StartAsync();

        var jobId = await host.EnqueueAsync();
        var job = await Eventually.GetAsync(async () => (await host.Jobs.GetAsync(jobId))!,
            j => j.Status == JobStatus.Queued && j.Attempt == 1, TimeSpan.FromSeconds(30), "the first attempt to fail and be requeued");

        Assert.Equal("OpenAI answered 429 rate_limit_exceeded: slow down", job.ErrorMessage);
        Assert.InRange(job.RunAfter - job.UpdatedAt, 30_000, 31_000); // the hint, not the 0.2 s base backoff
    }

    [Fact]
    public async Task Cancel_RunningJob_KillsTheCliProcessTreeAndMarksItCanceled()
    {
        await using var host = new WorkerTestHost();
        var cli = FakeCli.Hanging(host.ScratchDirectory);
        host.Settings["Worker:CliPath"] = cli.Path;
        await host.StartAsync();
        try
        {
            var jobId = await host.EnqueueAsync();
            await Eventually.TrueAsync(() => cli.Pids.Count == 2, TimeSpan.FromSeconds(30), "the CLI and its child to start");
            var pids = cli.Pids;
            Assert.All(pids, pid => Assert.True(FakeCli.IsAlive(pid)));

            Assert.Equal(CancelOutcome.CancelRequested, await host.Queue.CancelAsync(jobId));
            var job = await host.WaitForStatusAsync(jobId, JobStatus.Canceled);

            await Eventually.TrueAsync(() => pids.All(pid => !FakeCli.IsAlive(pid)), TimeSpan.FromSeconds(10), "the CLI process tree to be gone");
            Assert.Equal("Canceled by request while running.", job.ErrorMessage);
            var runStatus = await host.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT status FROM runs"));
            Assert.Equal(RunStatus.Canceled, runStatus);
            await host.WaitForEmptyTempAsync();
        }
        finally
        {
            cli.KillLeftovers();
        }
    }

    [Fact]
    public async Task HangingCli_IsStoppedAtTheTimeout_AndRetried()
    {
        await using var host = new WorkerTestHost();
        var cli = FakeCli.Hanging(host.ScratchDirectory);
        host.Settings["Worker:CliPath"] = cli.Path;
        host.Settings["Worker:JobTimeout"] = "00:00:01";
        await host.StartAsync();
        try
        {
            var jobId = await host.EnqueueAsync(maxAttempts: 1);
            var job = await host.WaitForStatusAsync(jobId, JobStatus.Failed);

            Assert.Equal("imagegen did not finish within 1 s and was stopped. (gave up after 1 attempt)", job.ErrorMessage);
            await Eventually.TrueAsync(() => cli.Pids.All(pid => !FakeCli.IsAlive(pid)), TimeSpan.FromSeconds(10), "the CLI to be gone");
        }
        finally
        {
            cli.KillLeftovers();
        }
    }

    [Fact]
    public async Task Shutdown_ReleasesARunningJobBackToTheQueue()
    {
        await using var host = new WorkerTestHost();
        var cli = FakeCli.Hanging(host.ScratchDirectory);
        host.Settings["Worker:CliPath"] = cli.Path;
        host.Settings["Worker:ShutdownGrace"] = "00:00:00.5";
        await host.StartAsync();
        try
        {
            var jobId = await host.EnqueueAsync();
            await Eventually.TrueAsync(() => cli.Pids.Count == 2, TimeSpan.FromSeconds(30), "the CLI to start");

            await host.StopAsync();

            var job = (await host.Jobs.GetAsync(jobId))!;
            Assert.Equal(JobStatus.Queued, job.Status);
            Assert.Equal(0, job.Attempt); // a release does not spend an attempt
            Assert.Null(job.ClaimToken);
            Assert.Equal(RunStatus.Canceled, await host.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT status FROM runs")));
            Assert.All(cli.Pids, pid => Assert.False(FakeCli.IsAlive(pid)));
            await host.WaitForEmptyTempAsync();
        }
        finally
        {
            cli.KillLeftovers();
        }
    }

    [Fact]
    public async Task Status_ReportsSlotsAndVersion_AndWakeIsAccepted()
    {
        await using var host = new WorkerTestHost();
        host.Settings["Worker:Concurrency"] = "3";
        await host.StartAsync();
        using var client = host.Client;

        var status = await Eventually.GetAsync(
            () => client.GetFromJsonAsync<WorkerStatus>("/status", TestContext.Current.CancellationToken)!,
            s => s!.LastPollAt is not null, TimeSpan.FromSeconds(10), "a first poll");
        using var wake = await client.PostAsync("/wake", null, TestContext.Current.CancellationToken);

        Assert.Equal(3, status!.Slots);
        Assert.Equal(0, status.JobsRunning);
        Assert.Equal("0.1.0", status.Version);
        Assert.Equal(HttpStatusCode.Accepted, wake.StatusCode);
        using var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
