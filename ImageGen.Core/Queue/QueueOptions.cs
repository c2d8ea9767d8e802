namespace ImageGen.Core.Queue;

/// <summary>Lease and retry timing. Bound from the <c>Queue</c> configuration section.</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Queue";

    /// <summary>How long a claim stays valid without renewal. Jobs run 10 s – 2 min, so this is short.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First retry delay after a transient failure; each later attempt doubles it.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);
}
