using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using ImageGen.Core;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Core.Providers;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Core.Telemetry;
using ImageGen.Worker.Cli;
using Microsoft.Extensions.Options;

namespace ImageGen.Worker.Jobs;

/// <summary>
/// Runs one claimed generate job: creates the run, runs <c>imagegen generate</c> into a temporary folder while
/// renewing the lease, then moves the files into the run folder and records them with the job's outcome in
/// one fenced transaction. A cancel, a timeout, a lost lease or a shutdown stops the CLI; files never outlive
/// a run that did not succeed.
/// </summary>
public sealed partial class GenerateJobHandler(
    Database database,
    JobQueue queue,
    RunStore runs,
    CliInvoker cli,
    WorkerState state,
    QueueMetrics metrics,
    IConfiguration configuration,
    TimeProvider time,
    IOptions<WorkerOptions> options,
    IOptions<QueueOptions> queueOptions,
    SecretRedactor redactor,
    ILogger<GenerateJobHandler> logger)
{
    /// <summary>What one attempt has done so far, for whichever path ends it.</summary>
    private sealed class Attempt
    {
        /// <summary>The run row, once it exists: every ending closes it with the reason.</summary>
        public long? RunId;

        /// <summary>Why a renewal last failed in this attempt, if one did: the reason the CLI may stop itself.</summary>
        public string? RenewTrouble;

        /// <summary>When the lease was last renewed (or claimed).</summary>
        public DateTimeOffset LastRenewedAt;

        /// <summary><see cref="Environment.TickCount64"/> just before the claim: the CLI's heartbeat deadline starts here.</summary>
        public long ClaimTick;
    }

    /// <summary>
    /// How long the CLI waits for a heartbeat before it stops itself: half the lease, so a CLI whose worker froze or
    /// could not renew has ended well before another worker may claim the job (docs/QUEUE.md, "One CLI per job").
    /// </summary>
    public TimeSpan HeartbeatTimeout => queueOptions.Value.LeaseDuration / 2;

    /// <summary>OTLP settings the worker passes on to the CLI so its spans reach the same collector.</summary>
    private static readonly string[] ForwardedOtlpSettings =
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_BSP_SCHEDULE_DELAY",
    ];

    private enum StopReason
    {
        None,
        CancelRequested,
        LeaseLost,
        TimedOut,
        Shutdown,
    }

    private DataRoot Root => database.Root;


    /// <param name="claim">When the claim statement ran, for the trace's claim span.</param>
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
        var attempt = new Attempt { LastRenewedAt = claim.Ended, ClaimTick = claim.StartedTick > 0 ? claim.StartedTick : Environment.TickCount64 };
        try
        {
            succeeded = await ExecuteAsync(job, attempt, releaseToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogUnexpected(logger, e, job.Id);
            var message = StorageTrouble.From(e) is { } trouble
                ? $"The worker could not record the job's outcome: {trouble.Message}"
                : $"The worker failed while running the job: {e.Message}";
            activity?.SetStatus(ActivityStatusCode.Error, redactor.Redact(message));
            try
            {
                await TryRecordFailureAsync(job, attempt.RunId, GeneratePayload.ModelOf(job.PayloadJson), message, transient: true);
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

    private static void RecordSpan(string name, DateTimeOffset start, DateTimeOffset end)
    {
        using var span = ImageGenTelemetry.Source.StartActivity(name, ActivityKind.Internal, Activity.Current?.Context ?? default, startTime: start);
        span?.SetEndTime(end.UtcDateTime);
    }

    private TimeSpan Since(ClaimedJob job) => time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(job.CreatedAt);

    private async Task<bool> ExecuteAsync(ClaimedJob job, Attempt attempt, CancellationToken releaseToken)
    {
        GeneratePayload payload;
        try
        {
            payload = GeneratePayload.FromJson(job.PayloadJson);
        }
        catch (JsonException e)
        {
            await TryRecordFailureAsync(job, null, "unknown", $"The job's payload is not valid: {e.Message}", transient: false);
            return false;
        }
        metrics.Started(payload.Model, Since(job));
        Activity.Current?.SetTag("imagegen.model", payload.Model);

        var (projectSlug, itemSlug) = await FolderSlugsAsync(job, payload);
        var settings = JsonSerializer.Serialize(new { payload.Count, payload.Size, payload.AspectRatio, payload.Format, payload.Seed }, Json.Options);
        var (runId, lostRuns) = await database.WriteAsync((c, t) => runs.CreateAsync(c, t, job, payload, settings));
        foreach (var lostRun in lostRuns)
        {
            DeleteFolder(Root.RunFolder(projectSlug, itemSlug, lostRun));
        }
        if (runId is not { } run)
        {
            LogLeaseLost(logger, job.Id);
            return false;
        }
        attempt.RunId = run;
        LogRunStarted(logger, job.Id, run, payload.Model, job.Attempt);
        using var runScope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = run });
        Activity.Current?.SetTag("imagegen.run.id", run);

        var workDirectory = Path.Combine(Root.TempDir, $"job-{job.Id}-{job.ClaimToken[..8]}");
        try
        {
            return await RunCliAndRecordAsync(job, attempt, payload, run, workDirectory, Root.RunFolder(projectSlug, itemSlug, run), releaseToken);
        }
        finally
        {
            DeleteFolder(workDirectory);
        }
    }

    private async Task<bool> RunCliAndRecordAsync(
        ClaimedJob job, Attempt attempt, GeneratePayload payload, long runId, string workDirectory, string runFolder, CancellationToken releaseToken)
    {
        var outputDirectory = Path.Combine(workDirectory, "out");
        Directory.CreateDirectory(workDirectory);
        var promptFile = Path.Combine(workDirectory, "prompt.txt");
        await File.WriteAllTextAsync(promptFile, payload.ComposedPrompt, CancellationToken.None);

        var stopReason = StopReason.None;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(releaseToken);
        stop.CancelAfter(options.Value.JobTimeout);
        using var releaseRegistration = releaseToken.Register(() => stopReason = StopReason.Shutdown);
        using var renewalDone = new CancellationTokenSource();
        var heartbeat = new HeartbeatPipe();
        heartbeat.Beat(attempt.ClaimTick); // the first line the CLI reads: the claim was the last renewal so far
        var renewal = RenewUntilDoneAsync(job, attempt, heartbeat, reason => { stopReason = reason; stop.Cancel(); }, renewalDone.Token);

        var started = time.GetUtcNow();
        CliOutcome? outcome = null;
        var runSpan = ImageGenTelemetry.Source.StartActivity("job.run"); // ended in the finally below
        try
        {
            outcome = await cli.RunAsync(BuildArguments(payload, promptFile, outputDirectory), CliEnvironment(runSpan), heartbeat, stop.Token);
            runSpan?.SetTag("process.exit.code", outcome.ExitCode);
        }
        catch (OperationCanceledException)
        {
            if (stopReason == StopReason.None)
            {
                stopReason = StopReason.TimedOut;
            }
        }
        finally
        {
            await renewalDone.CancelAsync();
            await renewal;
            runSpan?.Dispose();
        }
        var ran = time.GetUtcNow() - started;

        switch (stopReason)
        {
            case StopReason.LeaseLost:
                LogLeaseLost(logger, job.Id);
                return false;
            case StopReason.CancelRequested:
                await RecordAsync(job, runId, (c, t) => queue.MarkCanceledAsync(c, t, job, "Canceled by request while running."), RunStatus.Canceled, "Canceled by request while running.");
                metrics.Canceled(payload.Model, ran);
                LogCanceled(logger, job.Id);
                return false;
            case StopReason.Shutdown:
                await RecordAsync(job, runId, (c, t) => queue.ReleaseAsync(c, t, job), RunStatus.Canceled, "Stopped at worker shutdown; the job went back to the queue.");
                LogReleased(logger, job.Id);
                return false;
            case StopReason.TimedOut:
                await TryRecordFailureAsync(job, runId, payload.Model, $"imagegen did not finish within {options.Value.JobTimeout.TotalSeconds:0} s and was stopped.", transient: true);
                return false;
        }

        if (outcome!.ExitCode != ExitCodes.Success)
        {
            var error = CliError.TryParse(outcome.StandardOutput);
            var message = redactor.Redact(ExplainExit(outcome, error, attempt));
            // Usage and permanent errors will fail again; anything else (transient, a crash) is worth another try.
            var transient = outcome.ExitCode is not (ExitCodes.Usage or ExitCodes.Permanent);
            Activity.Current?.SetStatus(ActivityStatusCode.Error, message);
            await TryRecordFailureAsync(job, runId, payload.Model, message, transient,
                error?.RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, outcome.ExitCode);
            return false;
        }

        using var store = ImageGenTelemetry.Source.StartActivity("job.store");
        IReadOnlyList<StoredImage> images;
        try
        {
            images = await MoveIntoRunFolderAsync(outcome.StandardOutput, outputDirectory, runFolder);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or NetVips.VipsException)
        {
            DeleteFolder(runFolder);
            await TryRecordFailureAsync(job, runId, payload.Model, $"imagegen's output could not be stored: {e.Message}", transient: true);
            return false;
        }

        bool recorded;
        try
        {
            recorded = await WriteOutcomeAsync(job, async (c, t) =>
            {
                if (!await queue.SucceedAsync(c, t, job))
                {
                    return false;
                }
                await runs.SucceedAsync(c, t, runId, images);
                return true;
            });
        }
        catch (Exception e) when (StorageTrouble.From(e) is { } trouble)
        {
            DeleteFolder(runFolder);
            await TryRecordFailureAsync(job, runId, payload.Model, $"The images were made but could not be recorded, so none were kept. {trouble.Message}", transient: true);
            return false;
        }
        catch
        {
            DeleteFolder(runFolder);
            throw;
        }
        if (!recorded)
        {
            DeleteFolder(runFolder);
            LogLeaseLost(logger, job.Id);
            return false;
        }
        metrics.Succeeded(payload.Model, ran, images.Count, images.Sum(i => i.Bytes), payload.Format);
        LogSucceeded(logger, job.Id, runId, images.Count, Root.ToRelative(runFolder));
        return true;
    }

    private static List<string> BuildArguments(GeneratePayload payload, string promptFile, string outputDirectory)
    {
        var arguments = new List<string>
        {
            "generate", "--prompt-file", promptFile, "--model", payload.Model,
            "--count", payload.Count.ToString(CultureInfo.InvariantCulture), "--format", payload.Format,
            "--out", outputDirectory, "--json",
        };
        if (!string.IsNullOrWhiteSpace(payload.Size))
        {
            arguments.AddRange(["--size", payload.Size]);
        }
        if (!string.IsNullOrWhiteSpace(payload.AspectRatio))
        {
            arguments.AddRange(["--aspect-ratio", payload.AspectRatio]);
        }
        if (payload.Seed is { } seed)
        {
            arguments.AddRange(["--seed", seed.ToString(CultureInfo.InvariantCulture)]);
        }
        return arguments;
    }

    /// <summary>
    /// Checks every file the manifest names against the output folder (never trusting a path from the CLI),
    /// reads its real format and size, hashes it, then renames the whole folder into place in one move.
    /// </summary>
    private async Task<IReadOnlyList<StoredImage>> MoveIntoRunFolderAsync(string stdout, string outputDirectory, string runFolder)
    {
        var manifest = GenerateManifest.FromJson(stdout);
        if (manifest.Images.Count == 0)
        {
            throw new InvalidDataException("the manifest lists no images.");
        }
        var checkedImages = new List<(string Name, string Format, int Width, int Height, long Bytes, string Sha256, long Seed, string Thumbnail)>();
        foreach (var image in manifest.Images)
        {
            var name = Path.GetFileName(image.Path);
            var file = Path.Combine(outputDirectory, name);
            if (!File.Exists(file))
            {
                throw new InvalidDataException($"the manifest names '{name}', which is not in the output folder.");
            }
            var (format, width, height) = ImageEncoder.Probe(file);
            await using var stream = File.OpenRead(file);
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
            // Made here, inside the output folder, so it moves and commits together with its image.
            var thumbnail = Path.GetFileName(Thumbnails.Create(file, Path.Combine(outputDirectory, Thumbnails.Folder)));
            checkedImages.Add((name, format, width, height, stream.Length, hash, image.Seed, thumbnail));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(runFolder)!);
        DeleteFolder(runFolder);
        Directory.Move(outputDirectory, runFolder);
        return checkedImages
            .Select(i => new StoredImage(Root.ToRelative(Path.Combine(runFolder, i.Name)), i.Format, i.Width, i.Height, i.Bytes, i.Sha256, i.Seed,
                Root.ToRelative(Path.Combine(runFolder, Thumbnails.Folder, i.Thumbnail))))
            .ToList();
    }

    private async Task RenewUntilDoneAsync(ClaimedJob job, Attempt attempt, HeartbeatPipe heartbeat, Action<StopReason> stop, CancellationToken done)
    {
        using var timer = new PeriodicTimer(options.Value.RenewInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                RenewOutcome outcome;
                var renewStarted = time.GetTimestamp();
                var renewTick = Environment.TickCount64;
                try
                {
                    outcome = await queue.RenewAsync(job, done);
                    // Renewals take milliseconds; one that waited longer than a renewal interval was held up by the
                    // database even though it went through in the end, and that is why the CLI may have stopped itself.
                    if (time.GetElapsedTime(renewStarted) is var waited && waited > options.Value.RenewInterval)
                    {
                        attempt.RenewTrouble = $"the database was busy: a renewal waited {waited.TotalSeconds:0.#} s for it";
                    }
                }
                catch (Exception e) when (StorageTrouble.From(e) is { } trouble)
                {
                    // A busy or full database is not a lost lease: try again next tick; the lease has room for several
                    // misses. No heartbeat goes to the CLI meanwhile: if this lasts half the lease, the CLI stops itself.
                    attempt.RenewTrouble = trouble.Cause;
                    LogRenewFailed(logger, e, job.Id);
                    continue;
                }
                if (outcome == RenewOutcome.Lost)
                {
                    stop(StopReason.LeaseLost);
                    return;
                }
                if (outcome == RenewOutcome.CancelRequested)
                {
                    stop(StopReason.CancelRequested);
                    return;
                }
                attempt.LastRenewedAt = time.GetUtcNow();
                heartbeat.Beat(renewTick);
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
        }
    }

    private async Task RecordAsync(ClaimedJob job, long runId, Func<System.Data.IDbConnection, System.Data.IDbTransaction, Task<bool>> jobUpdate, string runStatus, string message)
    {
        await WriteOutcomeAsync(job, async (c, t) =>
        {
            if (await jobUpdate(c, t))
            {
                await runs.FinishAsync(c, t, runId, runStatus, message);
            }
            return true;
        });
    }

    /// <summary>
    /// Writes an attempt's outcome. A full disk or a busy database gets more tries, a renewal interval apart, for up to
    /// one lease: an outcome is worth waiting for, and past a lease the claim may be gone anyway (the write is fenced,
    /// so a late one changes nothing). The worker's trouble shows on /status meanwhile.
    /// </summary>
    private async Task<T> WriteOutcomeAsync<T>(ClaimedJob job, Func<System.Data.IDbConnection, System.Data.IDbTransaction, Task<T>> work)
    {
        var deadline = time.GetUtcNow() + queueOptions.Value.LeaseDuration;
        while (true)
        {
            try
            {
                var result = await database.WriteAsync(work);
                state.TroubleCleared();
                return result;
            }
            catch (Exception e) when (StorageTrouble.From(e) is { } trouble && time.GetUtcNow() < deadline)
            {
                state.TroubleSeen($"The worker cannot record job {job.Id}'s outcome yet ({trouble.Cause}); it keeps trying.", trouble.Cause);
                LogRecordRetry(logger, job.Id, trouble.Kind);
                await Task.Delay(options.Value.RenewInterval, time, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// The CLI's environment on top of the worker's: the run span as its parent (TRACEPARENT), its own service
    /// name (not the worker's, nor the worker's instance id), its heartbeat timeout, and the OTLP and provider settings
    /// the worker was given (from its environment or any other configuration source).
    /// </summary>
    private Dictionary<string, string?> CliEnvironment(Activity? runSpan)
    {
        var environment = new Dictionary<string, string?>
        {
            [ImageGenTelemetry.TraceParentVariable] = runSpan?.Id,
            ["OTEL_SERVICE_NAME"] = "imagegen-cli",
            ["OTEL_RESOURCE_ATTRIBUTES"] = null,
            [CliHeartbeat.TimeoutVariable] = HeartbeatTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        };
        foreach (var key in ForwardedOtlpSettings.Concat(ProviderSettings.Variables))
        {
            if (configuration[key] is { Length: > 0 } value)
            {
                environment[key] = value;
            }
        }
        return environment;
    }

    private async Task TryRecordFailureAsync(ClaimedJob job, long? runId, string model, string message, bool transient, TimeSpan? retryAfter = null, int? exitCode = null)
    {
        message = redactor.Redact(message);
        var outcome = await WriteOutcomeAsync(job, async (c, t) =>
        {
            var result = await queue.FailAsync(c, t, job, message, transient, retryAfter);
            if (result != FailOutcome.Lost && runId is { } id)
            {
                await runs.FinishAsync(c, t, id, RunStatus.Failed, message);
            }
            return result;
        });
        if (outcome != FailOutcome.Lost)
        {
            metrics.Failed(model, Since(job), outcome == FailOutcome.WillRetry);
        }
        switch (outcome)
        {
            case FailOutcome.WillRetry:
                LogWillRetry(logger, job.Id, job.Attempt, job.MaxAttempts, exitCode, message);
                break;
            case FailOutcome.Failed:
                LogFailed(logger, job.Id, exitCode, message);
                break;
            default:
                LogLeaseLost(logger, job.Id);
                break;
        }
    }

    private async Task<(string ProjectSlug, string WorkItemSlug)> FolderSlugsAsync(ClaimedJob job, GeneratePayload payload)
    {
        var workItemId = job.WorkItemId ?? payload.WorkItemId;
        if (workItemId is { } id)
        {
            var slugs = await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<(string, string)?>("""
                SELECT p.slug, w.slug FROM work_items w JOIN projects p ON p.id = w.project_id WHERE w.id = @id
                """, new { id }));
            if (slugs is { } found)
            {
                return found;
            }
        }
        // Jobs queued without a work item (the CLI's own tests, benchmarks) still get a tidy place.
        return ("unfiled", $"job-{job.Id}");
    }

    /// <summary>
    /// Why the CLI failed, in words: its own JSON error; else what stopped it (its heartbeat ran out, a signal); else
    /// its last <c>imagegen: error:</c> line; never a progress line or a stack trace.
    /// </summary>
    private string ExplainExit(CliOutcome outcome, CliError? error, Attempt attempt)
    {
        if (error is not null)
        {
            return error.Message;
        }
        if (outcome.ExitCode == ExitCodes.WorkerGone)
        {
            // A renewal still waiting on a busy database has not failed yet: the worker's own trouble says why.
            var cause = attempt.RenewTrouble ?? state.StorageTroubleSince(attempt.LastRenewedAt) ?? "the worker was stalled";
            return $"imagegen stopped itself: this worker could not renew the job's lease for {HeartbeatTimeout.TotalSeconds:0.#} s ({cause}).";
        }
        if (outcome.ExitCode is > 128 and < 160)
        {
            var signal = outcome.ExitCode - 128;
            return $"imagegen was killed by signal {SignalName(signal)} ({signal}) before it finished"
                + (signal == 9 ? ", by another program or by the system when memory ran out." : ".");
        }
        var errorLine = outcome.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => l.StartsWith("imagegen: error: ", StringComparison.Ordinal));
        return errorLine?["imagegen: error: ".Length..] ?? $"imagegen exited with code {outcome.ExitCode} without saying why.";
    }

    private static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP", 2 => "SIGINT", 3 => "SIGQUIT", 6 => "SIGABRT", 9 => "SIGKILL", 11 => "SIGSEGV", 13 => "SIGPIPE", 15 => "SIGTERM",
        _ => $"SIG{signal}",
    };

    private void DeleteFolder(string path)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: attempt {Attempt} of {MaxAttempts} failed (exit code {ExitCode}), will retry: {Error}")]
    private static partial void LogWillRetry(ILogger logger, long jobId, int attempt, int maxAttempts, int? exitCode, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed (exit code {ExitCode}): {Error}")]
    private static partial void LogFailed(ILogger logger, long jobId, int? exitCode, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} canceled by request; imagegen was stopped")]
    private static partial void LogCanceled(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} released back to the queue at shutdown")]
    private static partial void LogReleased(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: the claim was taken over by another worker; this worker stopped and wrote nothing")]
    private static partial void LogLeaseLost(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: renewing the lease failed; retrying")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: recording the outcome failed ({Kind}); trying again")]
    private static partial void LogRecordRetry(ILogger logger, long jobId, StorageTroubleKind kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: the outcome could not be recorded; the lease will run out and the sweep will settle the job")]
    private static partial void LogCouldNotRecord(ILogger logger, Exception exception, long jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: unexpected error")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {Path}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string path);
}
