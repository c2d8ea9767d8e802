using ImageGen.Core.Generation;
using ImageGen.Core.Iteration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;
using ImageGen.Core.Spec;

namespace ImageGen.Web.Pages.Images;

/// <summary>
/// The viewer: one candidate large with how it was made, the previous and next candidates of its work item, and star,
/// final and compare. A page of its own (a URL per image, works without JavaScript); the script adds keys
/// (← → S F C Esc).
/// </summary>
public sealed class ViewModel(RunQueries runs, FinalStore finals) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public RunImageView Image { get; private set; } = null!;
    public ImageOrigin Origin { get; private set; } = null!;
    public JobSpec? Settings { get; private set; }
    public long? Previous { get; private set; }
    public long? Next { get; private set; }
    public long Position { get; private set; }
    public long Total { get; private set; }
    public bool IsFinal { get; private set; }

    /// <summary>The work item page, scrolled to this candidate: where Esc and "Close" go.</summary>
    public string ItemUrl => Origin.ProjectSlug is { } p && Origin.WorkItemSlug is { } w ? $"/projects/{p}/items/{w}" : $"/jobs/{Origin.JobId}";

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (await runs.GetImageAsync(id, cancellationToken) is not { } image || await runs.GetImageOriginAsync(id, cancellationToken) is not { } origin)
        {
            return NotFound();
        }
        Image = image;
        Origin = origin;
        Settings = origin.Spec;
        if (origin.WorkItemId is { } workItemId)
        {
            (Previous, Next, Position, Total) = await runs.NeighboursAsync(id, workItemId, cancellationToken);
            IsFinal = (await finals.HistoryAsync(workItemId, cancellationToken)).FirstOrDefault(f => f.ReplacedAt is null)?.RunImageId == id;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostStarAsync(long id, bool starred, CancellationToken cancellationToken)
    {
        if (await WorkItemOfAsync(id, cancellationToken) is not { } workItemId || !await finals.SetStarAsync(workItemId, id, starred, cancellationToken))
        {
            StatusMessage = $"Error: image #{id} is not a candidate of a work item; nothing changed.";
        }
        return Redirect($"/images/{id}/view");
    }

    public async Task<IActionResult> OnPostFinalizeAsync(long id, CancellationToken cancellationToken)
    {
        if (await WorkItemOfAsync(id, cancellationToken) is not { } workItemId)
        {
            StatusMessage = $"Error: image #{id} is not a candidate of a work item; nothing changed.";
            return Redirect($"/images/{id}/view");
        }
        try
        {
            StatusMessage = await finals.FinalizeAsync(workItemId, id, cancellationToken) is { } path
                ? $"Image #{id} is now the final: {path}."
                : $"Error: image #{id}'s file is missing from the data folder; nothing changed.";
        }
        catch (InvalidOperationException e)
        {
            StatusMessage = $"Error: {e.Message}";
        }
        return Redirect($"/images/{id}/view");
    }

    private async Task<long?> WorkItemOfAsync(long id, CancellationToken cancellationToken) =>
        (await runs.GetImageOriginAsync(id, cancellationToken))?.WorkItemId;
}
