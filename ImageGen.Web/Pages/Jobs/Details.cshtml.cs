using System.Diagnostics;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Core.Telemetry;
using ImageGen.Web.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;
using ImageGen.Core.Spec;

namespace ImageGen.Web.Pages.Jobs;

public sealed class DetailsModel(IJobQueue queue, JobQueries jobs, RunQueries runs, WorkerClient worker, QueueMetrics metrics) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public JobRecord Job { get; private set; } = null!;
    public JobListItem Summary { get; private set; } = null!;
    /// <summary>The job's spec as stored (any older shape upgraded); null when it cannot be read.</summary>
    public JobSpec? Spec => Job.Spec;

    /// <summary>The spec as the worker hands it to the CLI (indented), or the stored text when it cannot be read.</summary>
    public string SpecJson => Spec?.ToJson(indented: true) ?? Job.PayloadJson;
    public IReadOnlyList<RunView> Runs { get; private set; } = [];
    public string LiveVersion { get; private set; } = "";

    /// <summary>The queue is paused and this job is queued: it waits, and the page says so.</summary>
    public bool Paused { get; private set; }

    /// <summary>What keeps the worker from claiming or recording jobs, shown while this job waits or runs.</summary>
    public string? WorkerTrouble { get; private set; }

    public bool CanCancel => Job.Status is JobStatus.Queued || (Job.Status is JobStatus.Running && !Job.CancelRequested);
    public bool CanRetry => Job.Status is JobStatus.Failed or JobStatus.Canceled;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (await jobs.GetAsync(id, cancellationToken) is not { } job)
        {
            return NotFound();
        }
        Job = job;
        Paused = Job.Status == JobStatus.Queued && await queue.IsPausedAsync(cancellationToken);
        Summary = (await jobs.GetListItemAsync(id, cancellationToken))!;
        Runs = await runs.ForJobAsync(id, cancellationToken);
        LiveVersion = await jobs.VersionAsync(cancellationToken);
        if (job.Status is JobStatus.Queued or JobStatus.Running)
        {
            WorkerTrouble = (await worker.GetStatusAsync(cancellationToken))?.Trouble;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(long id, CancellationToken cancellationToken)
    {
        StatusMessage = await queue.CancelAsync(id, cancellationToken) switch
        {
            CancelOutcome.Canceled => $"Job #{id} canceled before it started.",
            CancelOutcome.CancelRequested => $"Cancel requested: the worker stops job #{id} within a few seconds.",
            CancelOutcome.AlreadyFinished => $"Error: job #{id} had already finished, so there was nothing to cancel.",
            _ => $"Error: there is no job #{id}.",
        };
        return Redirect($"/jobs/{id}");
    }

    public async Task<IActionResult> OnPostRetryAsync(long id, CancellationToken cancellationToken)
    {
        if (await queue.RetryAsync(id, Activity.Current?.Id, cancellationToken) is { } retryId)
        {
            metrics.Queued(JobSpec.ModelOf((await jobs.GetAsync(retryId, cancellationToken))?.PayloadJson));
            await worker.WakeAsync(cancellationToken);
            StatusMessage = $"Job #{id} queued again as job #{retryId}.";
            return Redirect($"/jobs/{retryId}");
        }
        StatusMessage = $"Error: job #{id} can only be retried once it has failed or been canceled.";
        return Redirect($"/jobs/{id}");
    }
}
