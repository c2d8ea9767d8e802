using System.Diagnostics;
using System.Text.Json;
using ImageGen.Core.BrandCheck;
using ImageGen.Core.Files;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Core.Telemetry;
using ImageGen.Core.Spec;

namespace ImageGen.Worker.Jobs;

/// <summary>
/// Runs one claimed generate job, start to end: its span and log scope, its spec, a run for the claim, the CLI under
/// <see cref="CliSupervisor"/>, the output through <see cref="RunIngest"/>, and one outcome through
/// <see cref="AttemptRecorder"/>. A cancel, a timeout, a lost lease or a shutdown stops the CLI; files never outlive a run
/// that did not succeed.
/// </summary>
public sealed partial class GenerateJobRunner(
    IRunRecorder runs,
    IImageStore images,
    CliSupervisor supervisor,
    RunIngest ingest,
    BrandCheckSource brandChecks,
    AttemptRecorder recorder,
    WorkerState state,
    QueueMetrics metrics,
    TimeProvider time,
    ILogger<GenerateJobRunner> logger)
{
    /// <param name="claim">When the claim statement ran, for the trace's claim span and the CLI's first heartbeat.</param>
    /// <param name="releaseToken">Fires when the worker is shutting down and the job must be given back.</param>
    public async Task RunAsync(ClaimedJob job, ClaimTiming claim, CancellationToken releaseToken)
    {
        // The job's span continues the trace of the request that queued it and starts when it was queued,
        // so the trace shows the wait, the claim, the run and the store in order.
        var queuedAt = DateTimeOffset.FromUnixTimeMilliseconds(job.CreatedAt);
        using var activity = ImageGenTelemetry.Source.StartActivity($"job {job.Id}", ActivityKind.Consumer,
            ImageGenTelemetry.ParseParent(job.TraceParent), startTime: queuedAt);
        activity?.SetTag("imagegen.job.id", job.Id);
        activity?.SetTag("imagegen.job.attempt", job.Attempt);
        RecordSpan("job.wait", queuedAt, claim.Started);
        RecordSpan("job.claim", claim.Started, claim.Ended);

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = job.Id, ["Attempt"] = job.Attempt });
        state.Started(job.Id);
        var succeeded = false;
        long? runId = null;
        try
        {
            succeeded = await ExecuteAsync(job, claim, id => runId = id, releaseToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogUnexpected(logger, e, job.Id);
            var message = StorageTrouble.From(e) is { } trouble
                ? $"The worker could not record the job's outcome: {trouble.Message}"
                : $"The worker failed while running the job: {e.Message}";
            try
            {
                await recorder.FailAsync(job, runId, JobSpec.ModelOf(job.PayloadJson), new RunOutcome.Failed(message, Transient: true));
            }
            catch (Exception recordFailure)
            {
                // Still no way to write: the lease runs out and the sweep settles the job and its run with the reason.
                LogCouldNotRecord(logger, recordFailure, job.Id);
            }
        }
        finally
        {
            state.Finished(job.Id, succeeded);
        }
    }

    private async Task<bool> ExecuteAsync(ClaimedJob job, ClaimTiming claim, Action<long> started, CancellationToken releaseToken)
    {
        JobSpec spec;
        try
        {
            spec = JobSpec.Parse(job.PayloadJson);
        }
        catch (JsonException e)
        {
            await recorder.FailAsync(job, null, "unknown", new RunOutcome.Failed($"The job's spec is not valid: {e.Message}", Transient: false));
            return false;
        }
        metrics.Started(spec.Model, time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(job.CreatedAt));
        Activity.Current?.SetTag("imagegen.model", spec.Model);

        if (await runs.StartAsync(job, spec) is not { } run)
        {
            LogLeaseLost(logger, job.Id);
            return false;
        }
        started(run.RunId);
        LogRunStarted(logger, job.Id, run.RunId, spec.Model, job.Attempt);
        using var runScope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = run.RunId });
        Activity.Current?.SetTag("imagegen.run.id", run.RunId);

        var scratch = images.ScratchFolder(job.Id, job.ClaimToken);
        try
        {
            JobSpec attempt;
            try
            {
                attempt = await JobInputs.LocalizeAsync(spec.Remaining(run.Received), images);
            }
            catch (JobInputException e)
            {
                // The spec names a file that is gone or changed: no retry brings it back.
                await recorder.FailAsync(job, run.RunId, spec.Model, new RunOutcome.Failed(e.Message, Transient: false));
                return false;
            }
            if (run.Received > 0)
            {
                LogAskingForTheRest(logger, job.Id, attempt.Count, spec.Count);
            }
            Directory.CreateDirectory(scratch);
            var specFile = Path.Combine(scratch, "job.json");
            await File.WriteAllTextAsync(specFile, attempt.ToJson(indented: true), CancellationToken.None);
            var output = Path.Combine(scratch, "out");
            // The brand's rules and logos are read while the CLI runs, off this thread: they are ready when its files are.
            var brandLoad = Task.Run(() => LoadBrandAsync(job, spec), CancellationToken.None);
            var result = await supervisor.RunAsync(job, spec, specFile, output, claim, releaseToken);
            using var brand = await brandLoad;
            var end = AttemptEnd.Decide(result, supervisor.JobTimeoutFor(spec));
            if (end is AttemptEnd.Ingest ingestion)
            {
                return await StoreAsync(job, spec, run, result, ingestion, output, brand, () => DeleteScratch(scratch));
            }
            // Free the attempt's disk before writing its outcome: on a full disk the scratch is what fills it, and the
            // outcome's write would otherwise fail until the lease ran out.
            DeleteScratch(scratch);
            return await SettleAsync(job, spec, run, result, end);
        }
        finally
        {
            DeleteScratch(scratch);
        }
    }

    /// <summary>The brand check's context for the job; never throws: rules that cannot be read mark every candidate "not checked".</summary>
    private async Task<BrandCheckContext?> LoadBrandAsync(ClaimedJob job, JobSpec spec)
    {
        try
        {
            var context = await brandChecks.ForAsync(spec);
            foreach (var problem in context?.LogoProblems ?? [])
            {
                LogBrandLogoProblem(logger, job.Id, problem);
            }
            return context;
        }
        catch (Exception e) when (StorageTrouble.From(e) is not null || e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            // Expected: the database is busy, full or unreachable, or the revision's stored asset list is damaged.
            LogBrandRulesUnread(logger, e, job.Id);
            var why = StorageTrouble.From(e)?.Message ?? e.Message;
            return BrandCheckContext.Unreadable($"The brand's rules could not be read: {why}", spec.Origin?.BrandRevisionId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault in ImageGen itself: the images are still kept, but the record and the log say it was a fault, not the brand.
            LogBrandCheckFault(logger, e, job.Id);
            return BrandCheckContext.Unreadable(
                $"The brand check failed with an internal error ({e.GetType().Name}); the images were kept and the error logged.", spec.Origin?.BrandRevisionId);
        }
    }

    /// <summary>Records an attempt that kept no images: lost, stopped, or failed.</summary>
    private async Task<bool> SettleAsync(ClaimedJob job, JobSpec spec, RunStart run, SupervisedRun result, AttemptEnd end)
    {
        switch (end)
        {
            case AttemptEnd.LeaseLost:
                LogLeaseLost(logger, job.Id);
                return false;
            case AttemptEnd.Stopped(var outcome):
                await recorder.FinishAsync(job, run.RunId, outcome);
                if (outcome is RunOutcome.Canceled)
                {
                    metrics.Canceled(spec.Model, result.Ran);
                }
                return false;
            case AttemptEnd.Failed(var failure, var exitCode):
                Activity.Current?.SetStatus(ActivityStatusCode.Error, failure.Message);
                await recorder.FailAsync(job, run.RunId, spec.Model, failure, exitCode);
                return false;
            default:
                throw new ArgumentOutOfRangeException(nameof(end), end, "An attempt that lists images is stored, not settled.");
        }
    }

    /// <summary>
    /// Takes in the images the CLI listed (checked, hashed, thumbnailed, brand-checked, committed to the run's place) and
    /// records them in one fenced transaction; files never outlive a run whose record did not commit.
    /// </summary>
    private async Task<bool> StoreAsync(ClaimedJob job, JobSpec spec, RunStart run, SupervisedRun result, AttemptEnd.Ingest ingestion,
        string output, BrandCheckContext? brand, Action freeScratch)
    {
        using var store = ImageGenTelemetry.Source.StartActivity("job.store");
        IngestedRun ingested;
        try
        {
            ingested = await ingest.StoreAsync(ingestion.Manifest, output, run.Place, spec.Background, brand);
        }
        catch (RunIngestException e)
        {
            freeScratch();
            await recorder.FailAsync(job, run.RunId, spec.Model, new RunOutcome.Failed(e.Message, Transient: true));
            return false;
        }
        freeScratch();

        var stored = ingested.Images;
        if (brand is not null)
        {
            store?.SetTag("imagegen.brand_check.ms", stored.Sum(i => i.BrandCheck?.Milliseconds ?? 0));
            foreach (var (image, index) in stored.Select((image, index) => (image, index)))
            {
                if (image.BrandCheck is { Verdict: BrandVerdict.Unchecked } notChecked)
                {
                    LogBrandUnchecked(logger, job.Id, index + 1, notChecked.Reason ?? "");
                }
            }
        }
        var stoppedShort = ingestion.Shortfall;
        RunFinish finish;
        try
        {
            finish = await recorder.FinishAsync(job, run.RunId, new RunOutcome.Succeeded(stored) { Facts = ingested.Facts, Shortfall = stoppedShort });
        }
        catch (StorageException e)
        {
            images.Delete(run.Place);
            await recorder.FailAsync(job, run.RunId, spec.Model,
                new RunOutcome.Failed($"The images were made but could not be recorded, so none were kept. {e.Trouble.Message}", Transient: true));
            return false;
        }
        catch
        {
            images.Delete(run.Place);
            throw;
        }
        if (stoppedShort is not null && finish is RunFinish.WillRetry or RunFinish.Failed)
        {
            // The images are recorded with their run; the job failed (or will ask for the rest) with the provider's reason.
            metrics.Failed(spec.Model, time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(job.CreatedAt), finish == RunFinish.WillRetry);
            LogStoppedShort(logger, job.Id, run.RunId, stored.Count, spec.Count - run.Received, stoppedShort.Message);
            return false;
        }
        if (finish != RunFinish.Succeeded)
        {
            images.Delete(run.Place);
            return false;
        }
        metrics.Succeeded(spec.Model, result.Ran, stored.Count, stored.Sum(i => i.Bytes), spec.Format);
        LogSucceeded(logger, job.Id, run.RunId, stored.Count, Path.GetDirectoryName(stored[0].RelativePath) ?? "");
        return true;
    }

    private static void RecordSpan(string name, DateTimeOffset start, DateTimeOffset end)
    {
        using var span = ImageGenTelemetry.Source.StartActivity(name, ActivityKind.Internal, Activity.Current?.Context ?? default, startTime: start);
        span?.SetEndTime(end.UtcDateTime);
    }

    private void DeleteScratch(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException e)
        {
            LogCleanupFailed(logger, e, path);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: run {RunId} started with {Model} (attempt {Attempt})")]
    private static partial void LogRunStarted(ILogger logger, long jobId, long runId, string model, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: run {RunId} succeeded with {Count} image(s) in {Folder}")]
    private static partial void LogSucceeded(ILogger logger, long jobId, long runId, int count, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: earlier runs kept some images; asking for the remaining {Count} of {Total}")]
    private static partial void LogAskingForTheRest(ILogger logger, long jobId, int count, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: run {RunId} kept {Stored} of {Asked} image(s) before the provider failed: {Error}")]
    private static partial void LogStoppedShort(ILogger logger, long jobId, long runId, int stored, int asked, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: the claim was taken over by another worker; this worker stopped and wrote nothing")]
    private static partial void LogLeaseLost(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: the outcome could not be recorded; the lease will run out and the sweep will settle the job")]
    private static partial void LogCouldNotRecord(ILogger logger, Exception exception, long jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: unexpected error")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: the brand's rules could not be read; its candidates are recorded as not checked")]
    private static partial void LogBrandRulesUnread(ILogger logger, Exception exception, long jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: the brand check could not be prepared because of an internal error; its candidates are recorded as not checked")]
    private static partial void LogBrandCheckFault(ILogger logger, Exception exception, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: brand check: {Problem}")]
    private static partial void LogBrandLogoProblem(ILogger logger, long jobId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: candidate {Index} was not checked against the brand: {Reason}")]
    private static partial void LogBrandUnchecked(ILogger logger, long jobId, int index, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {Path}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string path);
}
