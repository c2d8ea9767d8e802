using ImageGen.Core.Catalog;
using ImageGen.Core.Iteration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Pages.WorkItems;

/// <summary>The shortlist: candidates by score, with the picks (and reasons) behind the order.</summary>
public sealed class RankingModel(CatalogStore catalog, ComparisonStore comparisons) : PageModel
{
    public WorkItemDetail Item { get; private set; } = null!;
    public ComparisonState State { get; private set; } = null!;
    public string ItemUrl => $"/projects/{Item.ProjectSlug}/items/{Item.Slug}";

    public async Task<IActionResult> OnGetAsync(string project, string item, CancellationToken cancellationToken)
    {
        if (await catalog.GetWorkItemAsync(project, item, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        Item = found;
        State = await comparisons.GetStateAsync(found.Id, cancellationToken);
        return Page();
    }
}
