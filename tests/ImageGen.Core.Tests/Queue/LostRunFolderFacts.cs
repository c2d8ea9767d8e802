using Dapper;
using ImageGen.Core.Catalog;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;

namespace ImageGen.Core.Tests.Queue;

/// <summary>
/// A worker killed between moving a run's files into place and committing them leaves a run folder no row points at:
/// whichever sweep closes that run also removes its folder.
/// </summary>
public abstract class LostRunFolderFacts(Backend backend)
{
    private async Task<(TestDatabase Db, long JobId, string Folder)> KilledMidIngestAsync(int maxAttempts)
    {
        var db = await TestDatabase.CreateAsync(backend);
        var catalog = new CatalogStore(db.Database, db.Time);
        var projectId = (await catalog.CreateProjectAsync("Launch", "launch", null))!.Value;
        var itemId = (await catalog.CreateWorkItemAsync(projectId, "Hero", "hero", "other", "a cup", "", null))!.Value;
        var jobId = (await db.Queue.EnqueueAsync(new NewJob(JobKinds.Generate, "{}") { WorkItemId = itemId, MaxAttempts = maxAttempts })).JobId;
        var claim = (await db.Queue.ClaimAsync("killed"))!;
        var runId = await db.Database.WriteAsync((c, t) => c.ExecuteScalarAsync<long>("""
            INSERT INTO runs (work_item_id, job_id, attempt, model, prompt, settings_json, status, created_at, updated_at)
            VALUES (@itemId, @Id, 1, 'offline/procedural', 'a cup', '{}', 'running', 0, 0) RETURNING id
            """, new { itemId, claim.Id }, t));
        var folder = db.Root.RunFolder("launch", "hero", runId);
        Directory.CreateDirectory(Path.Combine(folder, "thumbs"));
        await File.WriteAllBytesAsync(Path.Combine(folder, "01-seed1.png"), [1, 2, 3], TestContext.Current.CancellationToken);
        db.Time.Advance(db.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        return (db, jobId, folder);
    }

    [Fact]
    public async Task LastAttemptSettledByTheSweep_RemovesTheRunFolder()
    {
        var (db, jobId, folder) = await KilledMidIngestAsync(maxAttempts: 1);
        using var _ = db;

        Assert.Equal([jobId], await db.Queue.FailLostJobsAsync());

        Assert.False(Directory.Exists(folder));
        Assert.Equal("failed", await db.ScalarAsync<string>("SELECT status FROM runs"));
    }

    [Fact]
    public async Task RequeuedFromTheDashboard_RemovesTheRunFolder()
    {
        var (db, _, folder) = await KilledMidIngestAsync(maxAttempts: 3);
        using var __ = db;

        Assert.Equal(1, await db.Queue.RequeueExpiredAsync());

        Assert.False(Directory.Exists(folder));
        Assert.Equal("failed", await db.ScalarAsync<string>("SELECT status FROM runs"));
    }
}

public sealed class SqliteLostRunFolderFacts() : LostRunFolderFacts(Backend.Sqlite);

public sealed class PostgresLostRunFolderFacts() : LostRunFolderFacts(Backend.Postgres);
