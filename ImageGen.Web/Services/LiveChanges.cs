using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Services;

/// <summary>
/// One watcher for every open page. On SQLite, while at least one page listens, it reads the job change marker
/// (<see cref="JobQueries.VersionAsync"/>: two index lookups) every <see cref="Interval"/> and wakes every listener when
/// it moves; on PostgreSQL it reads nothing: it LISTENs for the notification every change to jobs sends as it commits
/// (<see cref="Database.ListenForChangesAsync"/>) and wakes the listeners at once, at most once per <see cref="Interval"/>
/// when changes come in a burst. Each listener then reads its own marker once and tells its page only if that moved. So
/// the database sees at most one cheap read per interval however many pages are open, and nothing when no job changes.
/// </summary>
public sealed class LiveChanges(JobQueries jobs, Database database, ILogger<LiveChanges> logger) : BackgroundService
{
    /// <summary>
    /// How often the marker is read while someone listens (SQLite): the most a change waits to be noticed. On PostgreSQL,
    /// the least time between two wake-ups, so a burst of changes costs each page one read per interval, not one per change.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>A comment line this often keeps an idle stream open through proxies and finds clients that left.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>How long a browser waits to reconnect after a stream drops (a restarting app).</summary>
    public static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    private TaskCompletionSource changed = NewSignal();
    private readonly SemaphoreSlim firstListener = new(0, 1);
    private readonly SemaphoreSlim heard = new(0, 1);
    private int listeners;

    /// <summary>Pages listening now (for tests and logs).</summary>
    public int Listeners => Volatile.Read(ref listeners);

    /// <summary>Wakes every listener now (after a write this process made, so its own pages need not wait a tick).</summary>
    public void Signal() => Interlocked.Exchange(ref changed, NewSignal()).TrySetResult();

    /// <summary>
    /// Server-Sent Events for one page: an event "change" whose data (and id) is the page's marker, first if it differs
    /// from the one the page was rendered with (<paramref name="since"/>, or the browser's Last-Event-ID on a reconnect),
    /// then each time it moves. Ends when the client leaves or the app stops.
    /// </summary>
    public async IAsyncEnumerable<SseItem<string>> StreamAsync(Func<CancellationToken, Task<string>> marker, string? since,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref listeners);
        Raise(firstListener);
        try
        {
            var seen = since;
            var first = true;
            while (true)
            {
                // Take the signal before reading: a change after the read completes this task, never a later one.
                var next = Volatile.Read(ref changed).Task;
                var current = await ReadAsync(marker, cancellationToken);
                if (current is null)
                {
                    yield break;
                }
                if (current != seen)
                {
                    seen = current;
                    yield return new SseItem<string>(current, "change") { EventId = current, ReconnectionInterval = Reconnect };
                }
                else if (first)
                {
                    // Something is sent at once, so the response starts (and the browser's EventSource opens) now.
                    yield return new SseItem<string>("", "ping") { ReconnectionInterval = Reconnect };
                }
                first = false;
                switch (await WaitAsync(next, cancellationToken))
                {
                    case Wake.Stopped:
                        yield break;
                    case Wake.Idle:
                        yield return new SseItem<string>("", "ping");
                        break;
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref listeners);
        }
    }

    private enum Wake { Changed, Idle, Stopped }

    // The client leaving or the app stopping ends a stream quietly; a database error still surfaces (the browser retries).
    private static async Task<string?> ReadAsync(Func<CancellationToken, Task<string>> marker, CancellationToken cancellationToken)
    {
        try
        {
            return await marker(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task<Wake> WaitAsync(Task next, CancellationToken cancellationToken)
    {
        try
        {
            await next.WaitAsync(Heartbeat, cancellationToken);
            return Wake.Changed;
        }
        catch (TimeoutException)
        {
            return Wake.Idle;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Wake.Stopped;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        database.PushesChanges ? ListenAsync(stoppingToken) : PollAsync(stoppingToken);

    /// <summary>PostgreSQL: the store says when jobs change; a burst of notifications wakes the pages once per interval.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var waking = WakeOnNotificationsAsync(stoppingToken);
        var failing = false;
        await database.ListenForChangesAsync(
            () =>
            {
                if (failing)
                {
                    logger.LogInformation("The live change listener hears {Database} again", database.Describe);
                    failing = false;
                }
                Raise(heard);
            },
            exception =>
            {
                // Log once per outage, not every retry; the pages keep what they show and update when it is back.
                if (!failing)
                {
                    logger.LogWarning(exception, "The live change listener lost {Database}; open pages stop updating until it is back", database.Describe);
                    failing = true;
                }
            },
            stoppingToken);
        await waking;
    }

    private async Task WakeOnNotificationsAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await heard.WaitAsync(stoppingToken);
                Signal();
                await Task.Delay(Interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Sets a one-slot flag (a semaphore of at most 1) that its waiter takes; setting it twice is setting it once.</summary>
    private static void Raise(SemaphoreSlim flag)
    {
        if (flag.CurrentCount == 0)
        {
            try { flag.Release(); } catch (SemaphoreFullException) { }
        }
    }

    /// <summary>SQLite: no notifications, so one read of the marker per interval while anyone listens.</summary>
    private async Task PollAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        string? last = null;
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (Listeners == 0)
                {
                    // Nobody listens: stop reading until someone does. The first read after that always signals,
                    // since a change may have come between that listener's own read and this one.
                    last = null;
                    await firstListener.WaitAsync(stoppingToken);
                    continue;
                }
                try
                {
                    var version = await jobs.VersionAsync(stoppingToken);
                    if (version != last)
                    {
                        last = version;
                        Signal();
                    }
                    if (failing)
                    {
                        logger.LogInformation("The live change watcher reads the database again");
                        failing = false;
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Log once per outage, not every tick; the pages keep what they show and update when it is back.
                    if (!failing)
                    {
                        logger.LogWarning(exception, "The live change watcher cannot read the database; open pages stop updating until it can");
                        failing = true;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        firstListener.Dispose();
        heard.Dispose();
        base.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
