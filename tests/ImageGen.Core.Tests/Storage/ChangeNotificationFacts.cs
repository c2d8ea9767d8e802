using System.Threading.Channels;
using Dapper;
using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Core.Storage.Postgres;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Storage;

/// <summary>
/// PostgreSQL tells listeners of every committed change to jobs (migration 0006's trigger, LISTEN in
/// <see cref="PostgresDatabase.ListenAsync"/>), which is how the web app's live pages learn of changes without reading
/// the change marker; SQLite cannot, and says so.
/// </summary>
public sealed class ChangeNotificationFacts
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static NewJob Job() => new(JobKinds.Generate, """{"model":"offline/procedural","composedPrompt":"x"}""");

    /// <summary>A listener on a data source of its own, as another process (the web app) would hold one.</summary>
    private sealed class Listener : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        private readonly PostgresDatabase _database;
        private readonly Task _listening;

        public Listener(TestDatabase db)
        {
            _database = new PostgresDatabase(db.Root, db.ConnectionString!);
            _listening = _database.ListenForChangesAsync(() => Heard.Writer.TryWrite(true), e => Failures.Writer.TryWrite(e), _stop.Token);
        }

        public Channel<bool> Heard { get; } = Channel.CreateUnbounded<bool>();

        public Channel<Exception> Failures { get; } = Channel.CreateUnbounded<Exception>();

        public async Task NextAsync() => await Heard.Reader.ReadAsync(Cancel).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Cancel);

        /// <summary>Waits a moment in which nothing may be heard.</summary>
        public async Task<bool> QuietAsync()
        {
            await Task.Delay(Quiet, Cancel);
            return !Heard.Reader.TryRead(out _);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _listening.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
            _database.Dispose();
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task EveryCommittedJobChange_IsHeard_AndNothingElse()
    {
        using var db = await TestDatabase.CreateAsync(Backend.Postgres);
        var catalog = new CatalogStore(db.Database, db.Time);
        var projectId = (await catalog.CreateProjectAsync("Launch", "launch", null))!.Value;
        var itemId = (await catalog.CreateWorkItemAsync(projectId, "Hero", "hero", "other", "a cup", "", null))!.Value;
        await using var listener = new Listener(db);
        await listener.NextAsync(); // once as listening starts, for what came before
        Assert.True(await listener.QuietAsync());

        var payload = new JobSpec { Model = "offline/procedural", Prompt = "a cup", Count = 1, Size = "640x360", Seed = 7, Origin = new JobOrigin { WorkItemId = itemId } };
        await db.Queue.EnqueueAsync(new NewJob(JobKinds.Generate, payload.ToJson()) { WorkItemId = itemId });
        await listener.NextAsync();
        var claim = (await db.Queue.ClaimAsync("w"))!;
        await listener.NextAsync();
        var run = (await db.Runs.StartAsync(claim, payload))!; // a run's start leaves the job as its claim did
        await db.Runs.FinishAsync(claim, run.RunId, new RunOutcome.Failed("the model said no", Transient: false));
        await listener.NextAsync();
        Assert.True(await listener.QuietAsync());

        // A change that is rolled back, and a change to another table, say nothing.
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.Database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("UPDATE jobs SET updated_at = updated_at + 1", transaction: t);
            throw new InvalidOperationException("rolled back");
        }, Cancel));
        await catalog.CreateProjectAsync("Other", "other", null);
        Assert.True(await listener.QuietAsync());
    }

    [Fact]
    public async Task ALostConnection_IsReported_AndListenedOnAgain()
    {
        using var db = await TestDatabase.CreateAsync(Backend.Postgres);
        await using var listener = new Listener(db);
        await listener.NextAsync();

        var killed = await db.ScalarAsync<int>("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND query LIKE 'LISTEN %'
            """);

        Assert.Equal(1, killed);
        var failure = await listener.Failures.Reader.ReadAsync(Cancel).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        Assert.NotNull(failure);
        await listener.NextAsync(); // listening again (after the retry delay), for what came in between
        await db.Queue.EnqueueAsync(Job());
        await listener.NextAsync();
    }

    [Fact]
    public async Task Sqlite_DoesNotPush_AndSaysSo()
    {
        using var db = await TestDatabase.CreateAsync(Backend.Sqlite);

        Assert.False(db.Database.PushesChanges);
        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => db.Database.ListenForChangesAsync(() => { }, _ => { }, Cancel));
        Assert.Contains("change marker", refused.Message, StringComparison.Ordinal);
    }
}
