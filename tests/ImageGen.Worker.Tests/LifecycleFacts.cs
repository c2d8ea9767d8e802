using System.Net.Http.Json;
using Dapper;
using ImageGen.Core;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Testing;
using Microsoft.Data.Sqlite;
using ImageGen.Core.Spec;

namespace ImageGen.Worker.Tests;

/// <summary>Every attempt ends with its true reason, and nothing it made is left half-done.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LifecycleFacts
{
    private sealed record RunRow(long Attempt, string Status, string? ErrorMessage);

    [Fact]
    public async Task CliMissing_EveryRunItStartedIsClosedWithTheReason()
    {
        await using var host = new WorkerTestHost();
        host.Settings["Worker:CliPath"] = Path.Combine(host.ScratchDirectory, "no-such-imagegen");
        await host.StartAsync();

        var jobId = await host.EnqueueAsync(maxAttempts: 2);
        var job = await host.WaitForStatusAsync(jobId, JobStatus.Failed);

        Assert.Contains("was not found", job.ErrorMessage, StringComparison.Ordinal);
        var runs = (await host.ReadAsync(c => c.QueryAsync<RunRow>("SELECT attempt, status, error_message FROM runs ORDER BY id"))).ToList();
        Assert.Equal([1L, 2L], runs.Select(r => r.Attempt));
        Assert.All(runs, r =>
        {
            Assert.Equal(RunStatus.Failed, r.Status);
            Assert.Contains("The imagegen CLI was not found", r.ErrorMessage, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task CliKilledByASignal_IsExplainedAsSuch_NotByItsLastProgressLine()
    {
        await using var host = new WorkerTestHost();
        host.Settings["Worker:CliPath"] = FakeCli.KilledBySignal(host.ScratchDirectory).Path;
        await host.StartAsync();

        var jobId = await host.EnqueueAsync(maxAttempts: 1);
        var job = await host.WaitForStatusAsync(jobId, JobStatus.Failed);

        Assert.StartsWith("imagegen was killed by signal SIGKILL (9) before it finished", job.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("generating", job.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweeps_RunWhileEverySlotIsBusy_SettlingLostJobsAndRemovingOrphanTempFolders()
    {
        await using var host = new WorkerTestHost();
        var hanging = FakeCli.Hanging(host.ScratchDirectory);
        host.Settings["Worker:CliPath"] = hanging.Path;
        host.Settings["Worker:Concurrency"] = "1";
        host.Settings["Worker:LostJobSweepInterval"] = "00:00:00.2";
        await host.StartAsync();
        try
        {
            var busy = await host.EnqueueAsync();
            await host.WaitForStatusAsync(busy, JobStatus.Running);
            await Eventually.TrueAsync(() => hanging.Pids.Count == 2, TimeSpan.FromSeconds(30), "the only slot to be busy");
            // A job another worker held when it was killed on its last attempt, and a folder a killed worker left.
            var lost = await host.EnqueueAsync(maxAttempts: 1);
            await host.Database.WriteAsync((c, t) => c.ExecuteAsync(
                "UPDATE jobs SET status = 'running', attempt = 1, claim_token = 'deadbeefcafe', lease_expires_at = 1 WHERE id = @lost", new { lost }, t));
            var orphan = Path.Combine(host.Root.TempDir, "job-999-0badf00d");
            Directory.CreateDirectory(Path.Combine(orphan, "out"));
            await File.WriteAllTextAsync(Path.Combine(orphan, "prompt.txt"), "left behind", TestContext.Current.CancellationToken);

            var settled = await host.WaitForStatusAsync(lost, JobStatus.Failed, TimeSpan.FromSeconds(10));
            await Eventually.TrueAsync(() => !Directory.Exists(orphan), TimeSpan.FromSeconds(10), "the orphan folder to be removed");

            Assert.StartsWith("Worker lost", settled.ErrorMessage, StringComparison.Ordinal);
            Assert.Equal(JobStatus.Running, (await host.Jobs.GetAsync(busy))!.Status); // still busy all along
            Assert.Single(Directory.EnumerateDirectories(host.Root.TempDir, "job-*")); // the running job's own folder stays
        }
        finally
        {
            hanging.KillLeftovers();
        }
    }

    [Fact]
    public async Task DatabaseHeldPastTheHeartbeat_CliStopsItself_AndTheRunSaysTheDatabaseWasBusy_NotWorkerLost()
    {
        await using var provider = await SlowProvider.StartAsync();
        provider.Delay = TimeSpan.FromSeconds(30);
        await using var host = new WorkerTestHost();
        host.Settings["Queue:LeaseDuration"] = "00:00:04"; // heartbeat timeout 2 s
        host.Settings["Storage:BusyTimeout"] = "00:00:00.2";
        host.Settings["IMAGEGEN_COMPAT_BASE_URL"] = provider.Url;
        await host.StartAsync();
        var jobId = await host.EnqueueAsync(new JobSpec { Model = "compat/default", Prompt = "busy-db job", Count = 1 }, maxAttempts: 1);
        await Eventually.TrueAsync(() => provider.InFlight == 1, TimeSpan.FromSeconds(30), "the CLI to call the provider");

        // Another program holds the write lock for 3 s: longer than the heartbeat timeout, shorter than the lease.
        await using (var holder = new SqliteConnection($"Data Source={host.Root.DatabasePath};Pooling=False"))
        {
            await holder.OpenAsync(TestContext.Current.CancellationToken);
            await holder.ExecuteAsync("BEGIN IMMEDIATE; UPDATE queue_control SET changed_by = 'backup tool';");
            using var client = host.Client;
            var status = await Eventually.GetAsync(() => client.GetFromJsonAsync<WorkerStatus>("/status", TestContext.Current.CancellationToken)!,
                s => s!.Trouble is not null, TimeSpan.FromSeconds(3), "the worker to report its trouble");
            Assert.Equal("The worker cannot claim jobs: the database was busy: another program held it too long.", status!.Trouble);
            await Eventually.TrueAsync(() => provider.InFlight == 0, TimeSpan.FromSeconds(5), "the CLI to stop itself and drop its call");
            await holder.ExecuteAsync("ROLLBACK");
        }

        var job = await host.WaitForStatusAsync(jobId, JobStatus.Failed);
        Assert.True(job.ErrorMessage!.StartsWith("imagegen stopped itself: this worker could not renew the job's lease for 2 s (the database was busy", StringComparison.Ordinal), job.ErrorMessage);
        var run = Assert.Single(await host.ReadAsync(c => c.QueryAsync<RunRow>("SELECT attempt, status, error_message FROM runs")));
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.StartsWith("imagegen stopped itself", run.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, provider.Aborted);
        await host.WaitForEmptyTempAsync();
    }
}
