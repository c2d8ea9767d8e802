using ImageGen.Core.Queue;
using ImageGen.Web.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ImageGen.Web.Pages;

/// <summary>Pause and resume the queue for every worker; the dashboard and the jobs page post here.</summary>
public sealed class QueueModel(IJobQueue queue, WorkerClient worker) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public bool Paused { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Paused = await queue.IsPausedAsync(cancellationToken);

    public async Task<IActionResult> OnPostPauseAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        await queue.SetPausedAsync(true, "web", cancellationToken);
        StatusMessage = "Queue paused: workers finish what they are running and claim nothing new until you resume.";
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/queue");
    }

    public async Task<IActionResult> OnPostResumeAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        await queue.SetPausedAsync(false, "web", cancellationToken);
        await worker.WakeAsync(cancellationToken);
        StatusMessage = "Queue resumed.";
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/queue");
    }
}
