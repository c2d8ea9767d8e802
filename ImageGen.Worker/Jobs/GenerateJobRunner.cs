using System.Diagnostics;
using System.Text.Json;
using ImageGen.Core.BrandCheck;
using ImageGen.Core.Files;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Core.Telemetry;

namespace ImageGen.Worker.Jobs;

/// <summary>
/// Runs one claimed generate job, start to end: its span and log scope, its payload, a run for the claim, the CLI under
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
                await recorder.FailAsync(job, runId, GeneratePayload.ModelOf(job.PayloadJson), new RunOutcome.Failed(message, Transient: true));
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
        GeneratePayload payload;
        try
        {
            payload = GeneratePayload.FromJson(job.PayloadJson);
        }
        catch (JsonException e)
        {
            await recorder.FailAsync(job, null, "unknown", new RunOutcome.Failed($"The job's payload is not valid: {e.Message}", Transient: false));
            return false;
        }
        metrics.Started(payload.Model, time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(job.CreatedAt));
        Activity.Current?.SetTag("imagegen.model", payload.Model);

        if (await runs.StartAsync(job, payload) is not { } run)
        {
            LogLeaseLost(logger, job.Id);
            return false;
        }
        started(run.RunId);
        LogRunStarted(logger, job.Id, run.RunId, payload.Model, job.Attempt);
        using var runScope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = run.RunId });
        Activity.Current?.SetTag("imagegen.run.id", run.RunId);

        var scratch = images.ScratchFolder(job.Id, job.ClaimToken);
        try
        {
            Directory.CreateDirectory(scratch);
            var promptFile = Path.Combine(scratch, "prompt.txt");
            await File.WriteAllTextAsync(promptFile, payload.ComposedPrompt, CancellationToken.None);
            var output = Path.Combine(scratch, "out");
            JobInputs inputs;
            try
            {
                inputs = await JobInputs.ResolveAsync(payload, images);
            }
            catch (JobInputException e)
            {
                // The payload names a file that is gone or changed: no retry brings it back.
                await recorder.FailAsync(job, run.RunId, payload.Model, new RunOutcome.Failed(e.Message, Transient: false));
                return false;
            }
            if (run.Received > 0)
            {
                LogAskingForTheRest(logger, job.Id, payload.Count - run.Received, payload.Count);
            }
            // The brand's rules and logos are read while the CLI runs, off this thread: they are ready when its files are.
            var brandLoad = Task.Run(() => LoadBrandAsync(job, payload), CancellationToken.None);
            var result = await supervisor.RunAsync(job, payload, inputs, run.Received, promptFile, output, claim, releaseToken);
            using var brand = await brandLoad;
            return await FinishAsync(job, payload, run, result, output, brand);
        }
        finally
        {
            DeleteScratch(scratch);
        }
    }

    /// <summary>The brand check's context for the job; never throws: rules that cannot be read mark every candidate "not checked".</summary>
    private async Task<BrandCheckContext?> LoadBrandAsync(ClaimedJob job, GeneratePayload payload)
    {
        try
        {
            var context = await brandChecks.ForAsync(payload);
            foreach (var problem in context?.LogoProblems ?? [])
            {
                LogBrandLogoProblem(logger, job.Id, problem);
            }
            return context;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogBrandRulesUnread(logger, e, job.Id);
            var why = StorageTrouble.From(e)?.Message ?? e.Message;
            return BrandCheckContext.Unreadable($"The brand's rules could not be read: {why}", payload.BrandRevisionId);
        }
    }

    private async Task<bool> FinishAsync(ClaimedJob job, GeneratePayload payload, RunStart run, SupervisedRun result, string output, BrandCheckContext? brand)
    {
        switch (result.Stop)
        {
            case StopReason.LeaseLost:
                LogLeaseLost(logger, job.Id);
                return false;
            case StopReason.CancelRequested:
                await recorder.FinishAsync(job, run.RunId, new RunOutcome.Canceled("Canceled by request while running."));
                metrics.Canceled(payload.Model, result.Ran);
                return false;
            case StopReason.Shutdown:
                await recorder.FinishAsync(job, run.RunId, new RunOutcome.Released("Stopped at worker shutdown; the job went back to the queue."));
                return false;
            case StopReason.TimedOut:
                await recorder.FailAsync(job, run.RunId, payload.Model,
                    new RunOutcome.Failed($"imagegen did not finish within {supervisor.JobTimeoutFor(payload).TotalSeconds:0} s and was stopped.", Transient: true));
                return false;
        }

        var outcome = result.Outcome!;
        // A provider that failed part-way still left the images it made, listed in a manifest: they are kept below.
        var shortfall = outcome.ExitCode != ExitCodes.Success && HasImages(outcome.StandardOutput);
        if (outcome.ExitCode != ExitCodes.Success && !shortfall)
        {
            // Usage and permanent errors will fail again; anything else (transient, a crash) is worth another try.
            var transient = outcome.ExitCode is not (ExitCodes.Usage or ExitCodes.Permanent);
            Activity.Current?.SetStatus(ActivityStatusCode.Error, result.Explanation);
            await recorder.FailAsync(job, run.RunId, payload.Model, new RunOutcome.Failed(result.Explanation!, transient, result.RetryAfter), outcome.ExitCode);
            return false;
        }

        using var store = ImageGenTelemetry.Source.StartActivity("job.store");
        IngestedRun ingested;
        try
        {
            ingested = await ingest.StoreAsync(outcome.StandardOutput, output, run.Place, payload.Background, brand);
        }
        catch (RunIngestException e)
        {
            await recorder.FailAsync(job, run.RunId, payload.Model, new RunOutcome.Failed(e.Message, Transient: true));
            return false;
        }

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
        RunOutcome.Failed? stoppedShort = shortfall
            ? new RunOutcome.Failed(result.Explanation ?? ingested.Shortfall?.Message ?? "The provider stopped part-way.",
                Transient: outcome.ExitCode is not (ExitCodes.Usage or ExitCodes.Permanent), result.RetryAfter)
            : null;
        RunFinish finish;
        try
        {
            finish = await recorder.FinishAsync(job, run.RunId, new RunOutcome.Succeeded(stored) { Facts = ingested.Facts, Shortfall = stoppedShort });
        }
        catch (StorageException e)
        {
            images.Delete(run.Place);
            await recorder.FailAsync(job, run.RunId, payload.Model,
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
            metrics.Failed(payload.Model, time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(job.CreatedAt), finish == RunFinish.WillRetry);
            LogStoppedShort(logger, job.Id, run.RunId, stored.Count, payload.Count - run.Received, stoppedShort.Message);
            return false;
        }
        if (finish != RunFinish.Succeeded)
        {
            images.Delete(run.Place);
            return false;
        }
        metrics.Succeeded(payload.Model, result.Ran, stored.Count, stored.Sum(i => i.Bytes), payload.Format);
        LogSucceeded(logger, job.Id, run.RunId, stored.Count, Path.GetDirectoryName(stored[0].RelativePath) ?? "");
        return true;
    }

    /// <summary>Whether the CLI's stdout is a manifest listing images (a run that stopped short), not just an error.</summary>
    private static bool HasImages(string stdout)
    {
        try
        {
            using var document = JsonDocument.Parse(stdout);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("images", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0;
        }
        catch (JsonException)
        {
            return false;
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: brand check: {Problem}")]
    private static partial void LogBrandLogoProblem(ILogger logger, long jobId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: candidate {Index} was not checked against the brand: {Reason}")]
    private static partial void LogBrandUnchecked(ILogger logger, long jobId, int index, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {Path}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string path);
}
