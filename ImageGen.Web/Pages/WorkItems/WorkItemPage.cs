using ImageGen.Core.Assets;
using ImageGen.Core.BrandCheck;
using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Iteration;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Core.Providers;

namespace ImageGen.Web.Pages.WorkItems;

/// <summary>Which of the item's candidates the page shows: a page of the run history, or the filtered view across runs.</summary>
/// <param name="Filtered">The filtered view (a brand filter or the brand order) instead of the history.</param>
/// <param name="Verdict">Only candidates with this brand verdict (any when null); the filtered view only.</param>
/// <param name="ByBrandScore">By brand score, best first; the filtered view only.</param>
/// <param name="Before">The history page: runs older than this run id (null: the newest).</param>
public sealed record CandidateView(bool Filtered, BrandVerdict? Verdict, bool ByBrandScore, bool StarredOnly, long? Before);

/// <summary>
/// The work item page's reads, in one place: the item itself (every handler resolves it here, so a missing item is a 404
/// in one way), and the page's view. The item is read first, since the rest need it; then the rest at once, since none
/// needs another: each <see cref="Core.Storage.Database.ReadAsync{T}"/> opens its own pooled connection (one SQLite
/// connection per read, or one from the Npgsql data source), so no connection is shared between them.
/// </summary>
public sealed class WorkItemPage(CatalogStore catalog, RunQueries runs, JobQueries jobs, ModelRegistry models, FinalStore finals,
    AssetStore assets, CostQueries costs, IJobQueue queue)
{
    /// <summary>The work item at <c>/projects/{project}/items/{item}</c>; null when there is none (the page answers 404).</summary>
    public Task<WorkItemDetail?> FindAsync(string project, string item, CancellationToken cancellationToken) =>
        catalog.GetWorkItemAsync(project, item, cancellationToken);

    /// <summary>Everything the page shows of <paramref name="item"/>, its independent reads run concurrently.</summary>
    public async Task<WorkItemView> LoadAsync(WorkItemDetail item, CandidateView view, CancellationToken cancellationToken)
    {
        var version = jobs.WorkItemVersionAsync(item.Id, cancellationToken);
        var active = ActiveJobsAsync(item.Id, cancellationToken);
        var history = view.Filtered
            ? Task.FromResult<(IReadOnlyList<RunView> Runs, long? NextBefore)>(([], null))
            : runs.HistoryPageAsync(item.Id, view.Before, cancellationToken);
        var filtered = view.Filtered
            ? runs.CandidatesAsync(item.Id, view.Verdict, view.StarredOnly, view.ByBrandScore, cancellationToken)
            : Task.FromResult<(IReadOnlyList<RunImageView> Images, bool More)>(([], false));
        var finalHistory = finals.HistoryAsync(item.Id, cancellationToken);
        var choices = assets.ChoicesAsync(item, cancellationToken);
        var spend = costs.ForWorkItemAsync(item.Id, cancellationToken);
        await Task.WhenAll(version, active, history, filtered, finalHistory, choices, spend);

        var (activeJobs, paused) = await active;
        var (pageRuns, nextBefore) = await history;
        var (images, more) = await filtered;
        return new WorkItemView(
            item,
            PromptComposer.Compose(new PromptParts(item.Prompt, item.Type, item.Constraints, item.EffectiveBrandName, item.EffectiveBrandMarkdown)),
            await version,
            activeJobs,
            paused,
            RunCard.Of(pageRuns),
            nextBefore,
            images,
            more,
            await finalHistory,
            await choices,
            await spend,
            new ModelChoices(models.List()));
    }

    /// <summary>The item's queued and running jobs, and whether a queued one waits on a paused queue (asked only then).</summary>
    private async Task<(IReadOnlyList<JobListItem> Jobs, bool Paused)> ActiveJobsAsync(long workItemId, CancellationToken cancellationToken)
    {
        var active = await jobs.ActiveForWorkItemAsync(workItemId, cancellationToken);
        return (active, active.Any(j => j.Status == JobStatus.Queued) && await queue.IsPausedAsync(cancellationToken));
    }
}
