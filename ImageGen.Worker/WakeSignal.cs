namespace ImageGen.Worker;

/// <summary>
/// Lets <c>POST /wake</c> cut the poller's idle wait short. Wake-ups coalesce: many wakes while the poller
/// is busy count as one. Polling stays the source of truth; a lost wake-up costs at most one poll interval.
/// </summary>
public sealed class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <returns>True when woken, false when the timeout passed.</returns>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
