namespace ImageGen.Core;

/// <summary>The JSON of the worker's <c>GET /status</c>, which the web app's dashboard reads.</summary>
public sealed record WorkerStatus(
    string WorkerId,
    string Version,
    int Slots,
    int JobsRunning,
    IReadOnlyCollection<long> RunningJobIds,
    DateTimeOffset? LastPollAt,
    DateTimeOffset StartedAt,
    long JobsSucceeded,
    long JobsFailed,
    bool Paused = false,
    string? Trouble = null,
    DateTimeOffset? TroubleSince = null);
