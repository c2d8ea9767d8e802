using ImageGen.Core.Catalog;
using ImageGen.Core.Iteration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Pages.WorkItems;

/// <summary>Two candidates side by side; the pick is stored and the next, most informative pair shown.</summary>
public sealed class CompareModel(CatalogStore catalog, ComparisonStore comparisons) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public WorkItemDetail Item { get; private set; } = null!;
    public ComparisonState State { get; private set; } = null!;
    public (RankedCandidate Left, RankedCandidate Right)? Pair { get; private set; }
    public string ItemUrl => $"/projects/{Item.ProjectSlug}/items/{Item.Slug}";

    /// <summary>A candidate the first pair must include (the viewer's "compare").</summary>
    [FromQuery(Name = "with"), System.ComponentModel.DataAnnotations.Range(1, long.MaxValue, ErrorMessage = "it must be an image id, 1 or more")]
    public long? With { get; set; }

    public async Task<IActionResult> OnGetAsync(string project, string item, CancellationToken cancellationToken) =>
        await LoadAsync(project, item, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string project, string item, long left, long right, string choice, string? reason, CancellationToken cancellationToken)
    {
        if (await catalog.GetWorkItemAsync(project, item, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        long? winner = choice switch { "left" => left, "right" => right, _ => null };
        if (choice is not ("left" or "right" or "skip"))
        {
            StatusMessage = "Error: pick left, right or skip.";
        }
        else if (reason?.Length > ComparisonStore.MaxReasonLength)
        {
            StatusMessage = $"Error: the reason is too long (at most {ComparisonStore.MaxReasonLength} characters); nothing was recorded.";
        }
        else if (!await comparisons.RecordAsync(found.Id, left, right, winner, reason, cancellationToken))
        {
            StatusMessage = "Error: those images are not candidates of this work item; nothing was recorded.";
        }
        else
        {
            StatusMessage = winner is null ? "Skipped." : $"Picked the {choice} image.";
        }
        return Redirect($"/projects/{found.ProjectSlug}/items/{found.Slug}/compare");
    }

    private async Task<bool> LoadAsync(string project, string item, CancellationToken cancellationToken)
    {
        if (await catalog.GetWorkItemAsync(project, item, cancellationToken) is not { } found)
        {
            return false;
        }
        Item = found;
        State = await comparisons.GetStateAsync(found.Id, cancellationToken);
        if (State.NextPair(With) is { } next)
        {
            var byId = State.Candidates.ToDictionary(c => c.ImageId);
            Pair = (byId[next.Left], byId[next.Right]);
        }
        return true;
    }
}
