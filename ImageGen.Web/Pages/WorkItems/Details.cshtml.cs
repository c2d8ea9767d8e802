using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;
using ImageGen.Core.Providers;
using ImageGen.Core.Spec;

namespace ImageGen.Web.Pages.WorkItems;

/// <summary>One candidate's card on the work item page: the image, its run, and the page it sits on (for the forms' return address).</summary>
public sealed record CandidateCard(RunImageView Image, long RunId, DetailsModel Page);

/// <summary>
/// The work item page: its reads are <see cref="WorkItemPage"/>'s (one load, into <see cref="View"/>), its forms'
/// work <see cref="WorkItemActions"/>'. Every handler finds the item through <see cref="WithItemAsync"/> (404 when it is
/// gone) and returns through <see cref="BackToItem"/>.
/// </summary>
// Reference uploads are checked against InputLimits.MaxBytes with a message; the request limit sits above it.
[RequestSizeLimit(InputLimits.MaxBytes * 2)]
public sealed class DetailsModel(WorkItemPage page, WorkItemActions actions) : PageModel
{
    [BindProperty]
    public GenerateInput Generate { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    /// <summary>What the page shows, once <see cref="LoadAsync"/> has read it.</summary>
    public WorkItemView View { get; private set; } = null!;

    [FromQuery(Name = "starred")]
    public bool StarredOnly { get; set; }

    /// <summary>The history page: runs older than this run id (null: the newest).</summary>
    [FromQuery(Name = "before"), System.ComponentModel.DataAnnotations.Range(1, long.MaxValue, ErrorMessage = "it must be a page marker, 1 or more")]
    public long? Before { get; set; }

    /// <summary>Only candidates with this brand verdict (pass, warn, fail, unchecked); another value is refused with a message.</summary>
    [FromQuery(Name = "brand")]
    public string? BrandFilter { get; set; }

    /// <summary>"brand": every candidate by brand score, best first, instead of the run history.</summary>
    [FromQuery(Name = "sort")]
    public string? Sort { get; set; }

    /// <summary>The file name of an export just built: the page offers it for download.</summary>
    [FromQuery(Name = "export")]
    public string? ExportName { get; set; }

    /// <summary>The filtered view: candidates across runs instead of the history (a brand filter or the brand sort).</summary>
    public bool Filtered => BrandFilter is not null || Sort == "brand";

    /// <summary>The verdict <see cref="BrandFilter"/> names, once it is read.</summary>
    public ImageGen.Core.BrandCheck.BrandVerdict? BrandVerdictFilter { get; private set; }

    /// <summary>The history section's heading: the history, or what the filtered view shows.</summary>
    public string HistoryHeading => !Filtered ? "History" : Sort == "brand" ? "Candidates by brand score" : "Candidates: " + BrandCheckText.Label(BrandVerdictFilter);

    /// <summary>The item's page with the starred filter kept: where "Back to the history" and the pager lead.</summary>
    public string StarredUrl => StarredOnly ? $"{View.ItemUrl}?starred=true" : View.ItemUrl;

    public Task<IActionResult> OnGetAsync(string project, string item, CancellationToken cancellationToken) =>
        WithItemAsync(project, item, async found =>
        {
            await LoadAsync(found, cancellationToken);
            // A fresh form starts from the item's saved references; a refused post is redisplayed with what it sent.
            Generate.References = View.ReferenceChoices.Where(a => a.Selected).Select(a => a.Id).ToList();
            Generate.Models = [ModelRegistry.DefaultModelId];
            return Page();
        }, cancellationToken);

    public Task<IActionResult> OnPostGenerateAsync(string project, string item, CancellationToken cancellationToken) =>
        WithItemAsync(project, item, async found =>
        {
            if (await actions.GenerateAsync(found, Generate, ModelState, cancellationToken) is not { } message)
            {
                await LoadAsync(found, cancellationToken);
                return Page();
            }
            StatusMessage = message;
            return BackToItem(found);
        }, cancellationToken);

    public Task<IActionResult> OnPostFinalizeAsync(string project, string item, long imageId, CancellationToken cancellationToken) =>
        WithItemAsync(project, item, async found =>
        {
            StatusMessage = await actions.FinalizeAsync(found, imageId, cancellationToken);
            return BackToItem(found, keepView: true);
        }, cancellationToken);

    /// <summary>"More like this": the candidate's model, settings and own seed, plus an optional adjustment.</summary>
    public Task<IActionResult> OnPostMoreLikeThisAsync(string project, string item, long imageId, string? adjustment, string idempotencyKey, CancellationToken cancellationToken) =>
        WithItemAsync(project, item, async found =>
        {
            StatusMessage = await actions.MoreLikeThisAsync(found, imageId, adjustment, idempotencyKey, cancellationToken);
            return BackToItem(found);
        }, cancellationToken);

    public Task<IActionResult> OnPostUploadReferenceAsync(string project, string item, IFormFile? file, string? role, string? note, CancellationToken cancellationToken) =>
        WithItemAsync(project, item, async found =>
        {
            StatusMessage = await actions.UploadReferenceAsync(found, file, role, note, cancellationToken);
            return BackToItem(found, fragment: "references");
        }, cancellationToken);

    public Task<IActionResult> OnPostRemoveReferenceAsync(string project, string item, long assetId, CancellationToken cancellationToken) =>
        WithItemAsync(project, item, async found =>
        {
            StatusMessage = await actions.RemoveReferenceAsync(found, assetId, cancellationToken);
            return BackToItem(found, fragment: "references");
        }, cancellationToken);

    public Task<IActionResult> OnPostExportAsync(string project, string item, bool includeCandidates, CancellationToken cancellationToken) =>
        WithItemAsync(project, item, async found =>
        {
            var name = await actions.ExportAsync(found, includeCandidates, cancellationToken);
            StatusMessage = $"Export ready: {name}.";
            return BackToItem(found, export: name);
        }, cancellationToken);

    public Task<IActionResult> OnPostStarAsync(string project, string item, long imageId, bool starred, CancellationToken cancellationToken) =>
        WithItemAsync(project, item, async found =>
        {
            if (await actions.StarAsync(found, imageId, starred, cancellationToken) is { } error)
            {
                StatusMessage = error;
            }
            return BackToItem(found, keepView: true, fragment: $"image-{imageId}");
        }, cancellationToken);

    /// <summary>Runs <paramref name="handle"/> on the work item the route names; 404 when there is none.</summary>
    private async Task<IActionResult> WithItemAsync(string project, string item, Func<WorkItemDetail, Task<IActionResult>> handle, CancellationToken cancellationToken) =>
        await page.FindAsync(project, item, cancellationToken) is { } found ? await handle(found) : NotFound();

    /// <summary>
    /// Back to the item's page (post/redirect/get). <paramref name="keepView"/>: as the user was looking at it, the same
    /// history page, starred filter, brand filter and order kept (the star and final forms post them back).
    /// <paramref name="export"/>: an export to offer for download. <paramref name="fragment"/>: where on the page.
    /// </summary>
    private RedirectResult BackToItem(WorkItemDetail found, bool keepView = false, string? export = null, string? fragment = null)
    {
        var query = QueryString.Create(new Dictionary<string, string?>
        {
            ["starred"] = keepView && StarredOnly ? "true" : null,
            ["before"] = keepView ? Before?.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            ["brand"] = keepView ? BrandFilter : null,
            ["sort"] = keepView ? Sort : null,
            ["export"] = export,
        }.Where(p => p.Value is not null));
        return Redirect($"{WorkItemUrl.Of(found)}{query}{(fragment is null ? "" : "#" + fragment)}");
    }

    /// <summary>Checks the filter and order asked for (an unknown one is refused with a message and dropped), then reads the page.</summary>
    private async Task LoadAsync(WorkItemDetail found, CancellationToken cancellationToken)
    {
        if (!BrandCheckText.TryParseFilter(BrandFilter, out var verdict))
        {
            ModelState.AddModelError(nameof(BrandFilter), $"'{BrandFilter}' is not a brand verdict: choose {BrandCheckText.FilterWords}.");
            BrandFilter = null;
        }
        BrandVerdictFilter = verdict;
        if (Sort is not null && Sort != "brand")
        {
            ModelState.AddModelError(nameof(Sort), $"'{Sort}' is not an order here: leave it empty for the history, or 'brand' for brand score.");
            Sort = null;
        }
        View = await page.LoadAsync(found, new CandidateView(Filtered, BrandVerdictFilter, Sort == "brand", StarredOnly, Before), cancellationToken);
    }
}
