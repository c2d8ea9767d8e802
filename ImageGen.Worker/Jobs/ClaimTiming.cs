namespace ImageGen.Worker.Jobs;

/// <summary>When the claim statement that took a job started and ended (the trace's claim span).</summary>
/// <param name="StartedTick">
/// <see cref="Environment.TickCount64"/> just before the claim: the lease runs from no earlier than this, on the one
/// monotonic clock the worker and its CLI share (the CLI's heartbeat deadline counts from it).
/// </param>
public readonly record struct ClaimTiming(DateTimeOffset Started, DateTimeOffset Ended, long StartedTick = 0);
