using Dapper;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Testing;

namespace ImageGen.Worker.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public abstract class WorkerCrashFacts(bool onPostgres)
{
    private Dictionary<string, string> Settings(WorkerTestHost host, string? cliPath = null)
    {
        var settings = new Dictionary<string, string>(FastLeases);
        foreach (var (key, value) in host.StoreSettings)
        {
            settings[key] = value;
        }
        if (cliPath is not null)
        {
            settings["Worker:CliPath"] = cliPath;
        }
        return settings;
    }

    private static readonly Dictionary<string, string> FastLeases = new()
    {
        // The CLI's heartbeat timeout is half the lease (1.5 s): renewals every 0.25 s leave it six beats of room
        // when the whole suite loads both cores (one full run failed here with renewals every 0.5 s).
        ["Queue:LeaseDuration"] = "00:00:03",
        ["Worker:RenewInterval"] = "00:00:00.25",
        ["Worker:MaxPollInterval"] = "00:00:00.2",
        ["Worker:LostJobSweepInterval"] = "00:00:00.5",
    };

    [Fact]
    public async Task KilledWorker_JobIsClaimedAgainAfterItsLease_AndCompletes()
    {
        await using var host = await WorkerTestHost.CreateAsync(onPostgres); // used for its store and helpers; its host is not started
        await Migrate(host);
        var hanging = FakeCli.Hanging(host.ScratchDirectory);
        var jobId = await host.EnqueueAsync(maxAttempts: 3);
        try
        {
            using (var doomed = ServiceProcess.StartWorker(host.Root.Path, Settings(host, hanging.Path)))
            {
                await Eventually.TrueAsync(() => hanging.Pids.Count == 2, TimeSpan.FromSeconds(60), "the first worker to start the CLI");
                Assert.Equal(JobStatus.Running, (await host.Jobs.GetAsync(jobId))!.Status);
                doomed.KillHard();
            }

            // With the real CLI, and a lease of its own long enough that a CLI starting slowly on a loaded machine is not
            // stopped by its heartbeat (one full CI run saw a third attempt here): the doomed claim's 3 s lease is what the
            // rescue waits for.
            var rescuerSettings = Settings(host);
            rescuerSettings["Queue:LeaseDuration"] = "00:00:10";
            using var rescuer = ServiceProcess.StartWorker(host.Root.Path, rescuerSettings);
            var job = await host.WaitForStatusAsync(jobId, JobStatus.Succeeded, TimeSpan.FromSeconds(60));

            Assert.Equal(2, job.Attempt);
            var runs = (await host.ReadAsync(c => c.QueryAsync<(long Attempt, string Status, string? Error)>(
                "SELECT attempt, status, error_message FROM runs ORDER BY id"))).ToList();
            Assert.Equal(2, runs.Count);
            Assert.Equal((1L, RunStatus.Failed), (runs[0].Attempt, runs[0].Status));
            Assert.Equal(QueueMessages.LostRun + " The job was claimed again.", runs[0].Error);
            Assert.Equal((2L, RunStatus.Succeeded), (runs[1].Attempt, runs[1].Status));
            Assert.Equal(2, await host.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM run_images")));
        }
        finally
        {
            hanging.KillLeftovers();
        }
    }

    [Fact]
    public async Task KilledWorker_WithAttemptsUsedUp_JobFailsWithWorkerLost()
    {
        await using var host = await WorkerTestHost.CreateAsync(onPostgres);
        await Migrate(host);
        var hanging = FakeCli.Hanging(host.ScratchDirectory);
        var jobId = await host.EnqueueAsync(maxAttempts: 1);
        try
        {
            using (var doomed = ServiceProcess.StartWorker(host.Root.Path, Settings(host, hanging.Path)))
            {
                await Eventually.TrueAsync(() => hanging.Pids.Count == 2, TimeSpan.FromSeconds(60), "the worker to start the CLI");
                doomed.KillHard();
            }

            using var survivor = ServiceProcess.StartWorker(host.Root.Path, Settings(host));
            var job = await host.WaitForStatusAsync(jobId, JobStatus.Failed, TimeSpan.FromSeconds(60));

            Assert.Equal(1, job.Attempt);
            Assert.StartsWith("Worker lost", job.ErrorMessage, StringComparison.Ordinal);
            Assert.Equal(RunStatus.Failed, await host.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT status FROM runs")));
        }
        finally
        {
            hanging.KillLeftovers();
        }
    }

    private static Task Migrate(WorkerTestHost host) => ImageGen.Core.Storage.Migrator.MigrateAsync(host.Database);
}

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SqliteWorkerCrashFacts() : WorkerCrashFacts(onPostgres: false);

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresWorkerCrashFacts() : WorkerCrashFacts(onPostgres: true);
