using System.Collections.Concurrent;

namespace ImageGen.Worker;

/// <summary>What <c>GET /status</c> reports: this worker's slots, its running jobs and its last poll.</summary>
public sealed class WorkerState(TimeProvider time)
{
    private readonly ConcurrentDictionary<long, DateTimeOffset> _running = new();
    private long _lastPollTicks;
    private long _succeeded;
    private long _failed;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public DateTimeOffset? LastPollAt => Interlocked.Read(ref _lastPollTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public IReadOnlyCollection<long> RunningJobIds => _running.Keys.Order().ToList();

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public long Failed => Interlocked.Read(ref _failed);

    private long _queueDepth;
    private long _oldestQueuedAt;

    /// <summary>Jobs waiting, as of the last snapshot (every few seconds).</summary>
    public long QueueDepth => Interlocked.Read(ref _queueDepth);

    /// <summary>Age of the oldest queued job at the last snapshot; 0 when none waits.</summary>
    public double OldestQueuedAgeSeconds =>
        Interlocked.Read(ref _oldestQueuedAt) is var oldest and > 0 ? (time.GetUtcNow().ToUnixTimeMilliseconds() - oldest) / 1000.0 : 0;

    public void QueueObserved(long depth, long? oldestCreatedAt)
    {
        Interlocked.Exchange(ref _queueDepth, depth);
        Interlocked.Exchange(ref _oldestQueuedAt, oldestCreatedAt ?? 0);
    }

    public void Polled() => Interlocked.Exchange(ref _lastPollTicks, time.GetUtcNow().UtcTicks);

    private WorkerTrouble? _trouble;

    /// <summary>What keeps this worker from claiming or recording jobs right now (a full disk, a busy database), and since when.</summary>
    public WorkerTrouble? Trouble => Volatile.Read(ref _trouble);

    private sealed record StorageTroubleSeen(string Cause, DateTimeOffset At);

    private StorageTroubleSeen? _lastStorageTrouble;

    /// <summary>The cause of the storage trouble this worker saw last, if it saw any after <paramref name="since"/>, even if it has cleared since.</summary>
    public string? StorageTroubleSince(DateTimeOffset since)
    {
        return Volatile.Read(ref _lastStorageTrouble) is { } last && last.At >= since ? last.Cause : null;
    }

    public void TroubleSeen(string message, string? cause = null)
    {
        if (cause is not null)
        {
            Volatile.Write(ref _lastStorageTrouble, new StorageTroubleSeen(cause, time.GetUtcNow()));
        }
        var current = Trouble;
        Volatile.Write(ref _trouble, new WorkerTrouble(message, current is not null && current.Message == message ? current.Since : time.GetUtcNow(), cause));
    }

    public void TroubleCleared() => Volatile.Write(ref _trouble, null);

    public void Started(long jobId) => _running[jobId] = time.GetUtcNow();

    public void Finished(long jobId, bool succeeded)
    {
        _running.TryRemove(jobId, out _);
        Interlocked.Increment(ref succeeded ? ref _succeeded : ref _failed);
    }
}

/// <param name="Cause">The short cause when it is storage trouble ("the disk is full"), for a run's reason.</param>
public sealed record WorkerTrouble(string Message, DateTimeOffset Since, string? Cause = null);
