namespace ImageGen.Core.Queue;

/// <summary>Exponential backoff with jitter for transient failures.</summary>
public static class RetryPolicy
{
    /// <summary>
    /// base × 2^(attempt−1), scaled by a random factor in [0.75, 1.25) so that jobs failing together do not
    /// retry together, capped at <paramref name="max"/>. The spread is narrow enough that each attempt's
    /// delay is still longer than any delay of the attempt before. A provider's own retry hint wins when longer.
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan max, TimeSpan? hint = null, Random? random = null)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var nominal = baseDelay.TotalMilliseconds * Math.Pow(2, exponent);
        var jitter = 0.75 + ((random ?? Random.Shared).NextDouble() * 0.5);
        var delay = TimeSpan.FromMilliseconds(Math.Min(nominal * jitter, max.TotalMilliseconds));
        return hint is { } h && h > delay ? h : delay;
    }
}
