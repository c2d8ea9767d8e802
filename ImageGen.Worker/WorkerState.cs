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

    public void Polled() => Interlocked.Exchange(ref _lastPollTicks, time.GetUtcNow().UtcTicks);

    public void Started(long jobId) => _running[jobId] = time.GetUtcNow();

    public void Finished(long jobId, bool succeeded)
    {
        _running.TryRemove(jobId, out _);
        Interlocked.Increment(ref succeeded ? ref _succeeded : ref _failed);
    }
}
