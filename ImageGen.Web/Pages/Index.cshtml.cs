using ImageGen.Core;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Web.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ImageGen.Web.Pages;

public sealed class IndexModel(DashboardQueries queries, JobQueries jobs, IJobQueue queue, WorkerClient worker, DataRoot dataRoot, ImageGen.Core.Storage.CostQueries costs) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public DashboardCounts Counts { get; private set; } = null!;
    public IReadOnlyList<RecentJob> RecentJobs { get; private set; } = [];
    public WorkerStatus? Worker { get; private set; }
    public string DataDirectory => dataRoot.Path;
    public string LiveVersion { get; private set; } = "";
    public bool Paused { get; private set; }
    public ImageGen.Core.Storage.Spend Spend { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // The worker call and the queries are independent: run them side by side.
        var status = worker.GetStatusAsync(cancellationToken);
        LiveVersion = await jobs.VersionAsync(cancellationToken);
        Paused = await queue.IsPausedAsync(cancellationToken);
        Counts = await queries.GetCountsAsync(cancellationToken);
        RecentJobs = await queries.GetRecentJobsAsync(10, cancellationToken);
        Spend = await costs.OverallAsync(cancellationToken);
        Worker = await status;
    }
}
