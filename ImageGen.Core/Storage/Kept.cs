namespace ImageGen.Core.Storage;

/// <summary>
/// One result kept until a marker of everything it read moves: for the sums and counts over whole tables a page shows
/// on every load (the dashboard's), where reading the marker is a few index lookups and the result a full pass. The
/// caller reads the marker before computing, so a write between the two is seen as a move at the next read.
/// </summary>
public sealed class Kept<TMarker, T> where TMarker : IEquatable<TMarker>
{
    private sealed record Entry(TMarker Marker, T Value);

    private Entry? _entry;

    public async Task<T> GetAsync(TMarker marker, Func<Task<T>> compute)
    {
        if (Volatile.Read(ref _entry) is { } kept && kept.Marker.Equals(marker))
        {
            return kept.Value;
        }
        var value = await compute();
        Volatile.Write(ref _entry, new Entry(marker, value));
        return value;
    }
}
