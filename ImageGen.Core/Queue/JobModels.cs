using ImageGen.Core.Spec;
namespace ImageGen.Core.Queue;

public static class JobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    public static IReadOnlyList<string> All { get; } = [Queued, Running, Succeeded, Failed, Canceled];
}

public static class JobKinds
{
    public const string Generate = "generate";
}

/// <summary>What the web app (or a test) asks the queue to run.</summary>
public sealed record NewJob(string Kind, string PayloadJson)
{
    public long? WorkItemId { get; init; }
    /// <summary>A key from the submitting form; a second submit with the same key returns the first job.</summary>
    public string? IdempotencyKey { get; init; }
    public int MaxAttempts { get; init; } = 3;
    public string? TraceParent { get; init; }
    public long? RetryOfJobId { get; init; }
}

public sealed record EnqueueResult(long JobId, bool Created);

/// <summary>A job this worker holds a lease on. <see cref="ClaimToken"/> fences every later write.</summary>
public sealed class ClaimedJob
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public long? WorkItemId { get; init; }
    public string PayloadJson { get; init; } = "";
    public int Attempt { get; init; }
    public int MaxAttempts { get; init; }
    public string ClaimToken { get; init; } = "";
    public long LeaseExpiresAt { get; init; }
    public long CreatedAt { get; init; }
    public string? TraceParent { get; init; }
}

public enum RenewOutcome
{
    /// <summary>The lease was extended.</summary>
    Renewed,
    /// <summary>The lease was extended, and someone asked for the job to be canceled.</summary>
    CancelRequested,
    /// <summary>Another claim owns the job now (or it is no longer running): stop and write nothing.</summary>
    Lost,
}

public enum FailOutcome
{
    /// <summary>Put back in the queue to run again after a backoff.</summary>
    WillRetry,
    /// <summary>Failed for good.</summary>
    Failed,
    /// <summary>The claim was no longer ours; nothing was written.</summary>
    Lost,
}

public enum CancelOutcome
{
    NotFound,
    /// <summary>It was queued and is now canceled.</summary>
    Canceled,
    /// <summary>It is running; its worker stops the CLI at its next lease renewal and marks it canceled.</summary>
    CancelRequested,
    /// <summary>It already finished.</summary>
    AlreadyFinished,
}

/// <summary>A job row as the UI and tests read it.</summary>
public sealed class JobRecord
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public long? WorkItemId { get; init; }
    public string Status { get; init; } = "";
    public string PayloadJson { get; init; } = "";

    /// <summary>The job's spec, read once from <see cref="PayloadJson"/>; null when it cannot be read (the page shows it raw).</summary>
    public Spec.JobSpec? Spec => field ??= Core.Spec.JobSpec.TryParse(PayloadJson);
    public string? IdempotencyKey { get; init; }
    public int Attempt { get; init; }
    public int MaxAttempts { get; init; }
    public long RunAfter { get; init; }
    public string? ClaimToken { get; init; }
    public string? ClaimedBy { get; init; }
    public long? LeaseExpiresAt { get; init; }
    public bool CancelRequested { get; init; }
    public string? ErrorMessage { get; init; }
    public long? RetryOfJobId { get; init; }
    public string? TraceParent { get; init; }
    public long CreatedAt { get; init; }
    public long? StartedAt { get; init; }
    public long? FinishedAt { get; init; }
    public long UpdatedAt { get; init; }
}
