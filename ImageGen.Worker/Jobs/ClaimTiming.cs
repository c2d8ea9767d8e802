namespace ImageGen.Worker.Jobs;

/// <summary>When the claim statement that took a job started and ended (the trace's claim span).</summary>
public readonly record struct ClaimTiming(DateTimeOffset Started, DateTimeOffset Ended);
