using ImageGen.Core.Files;
using ImageGen.Core.Queue;

namespace ImageGen.Core.Generation;

/// <summary>
/// Records what one attempt of a generate job did: a run row for the claim, then one outcome written together with the
/// job's own status in one transaction fenced by the claim token. Implemented once, for both backends, in
/// <c>Storage/Sql/SqlRunRecorder.cs</c>.
/// </summary>
public interface IRunRecorder
{
    /// <summary>
    /// Starts a run for a claimed job, only while the claim is still ours: null when it is not. Runs of the same job left open
    /// by an earlier claim are closed as lost and their files removed.
    /// </summary>
    Task<RunStart?> StartAsync(ClaimedJob job, JobSpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends the attempt with <paramref name="outcome"/>: the job's status and the run's (when there is one) in one fenced
    /// transaction. <see cref="RunFinish.Lost"/> when the claim was no longer ours, and then nothing was written.
    /// </summary>
    Task<RunFinish> FinishAsync(ClaimedJob job, long? runId, RunOutcome outcome, CancellationToken cancellationToken = default);
}

/// <summary>A started run and where its files go.</summary>
/// <param name="Received">Images this job (and the jobs it retries) already stored in earlier runs that stopped short: a new
/// attempt asks only for the rest.</param>
public sealed record RunStart(long RunId, RunPlace Place, int Received = 0);

/// <summary>How an attempt ended, as the worker knows it.</summary>
public abstract record RunOutcome
{
    private RunOutcome()
    {
    }

    /// <summary>
    /// The CLI made these images and they are stored in the run's place. With a <see cref="Shortfall"/>, the provider failed
    /// part-way: the run keeps these images (and says how many are missing) while the job fails with the shortfall, and is
    /// retried when it is transient; the retry asks only for the missing images.
    /// </summary>
    public sealed record Succeeded(IReadOnlyList<StoredImage> Images) : RunOutcome
    {
        public RunFacts? Facts { get; init; }
        public Failed? Shortfall { get; init; }
    }

    /// <summary>It failed; a transient failure with attempts left is tried again after a backoff.</summary>
    public sealed record Failed(string Message, bool Transient, TimeSpan? RetryAfter = null) : RunOutcome;

    /// <summary>Canceled by request while it ran.</summary>
    public sealed record Canceled(string Reason) : RunOutcome;

    /// <summary>Given back to the queue at the worker's shutdown, without spending an attempt.</summary>
    public sealed record Released(string Reason) : RunOutcome;
}

/// <summary>What <see cref="IRunRecorder.FinishAsync"/> wrote.</summary>
public enum RunFinish
{
    Succeeded,
    WillRetry,
    Failed,
    Canceled,
    Released,
    /// <summary>The claim was no longer ours; nothing was written.</summary>
    Lost,
}
