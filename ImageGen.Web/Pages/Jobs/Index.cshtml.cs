using ImageGen.Core.Catalog;
using ImageGen.Core.Queue;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Pages.Jobs;

public sealed class IndexModel(JobQueries jobs, IJobQueue queue) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    [FromQuery(Name = "status")]
    public string? Status { get; set; }

    [FromQuery(Name = "before"), System.ComponentModel.DataAnnotations.Range(1, long.MaxValue, ErrorMessage = "it must be a page marker, 1 or more")]
    public long? Before { get; set; }

    public Page<JobListItem> Jobs { get; private set; } = new([], null);
    public string LiveVersion { get; private set; } = "";
    public bool Paused { get; private set; }

    public string BaseUrl => Status is null ? "/jobs" : $"/jobs?status={Status}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Status is not null && !JobStatus.All.Contains(Status))
        {
            StatusMessage = $"Error: '{Status}' is not a job status; showing all jobs.";
            return Redirect("/jobs");
        }
        LiveVersion = await jobs.VersionAsync(cancellationToken);
        Paused = await queue.IsPausedAsync(cancellationToken);
        Jobs = await jobs.ListAsync(Status, Before, cancellationToken: cancellationToken);
        return Page();
    }
}
