using ImageGen.Core.Catalog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Pages.Projects;

public sealed class DetailsModel(CatalogStore catalog, ImageGen.Core.Storage.CostQueries costs) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    [FromQuery(Name = "before"), System.ComponentModel.DataAnnotations.Range(1, long.MaxValue, ErrorMessage = "it must be a page marker, 1 or more")]
    public long? Before { get; set; }

    public ProjectSummary Project { get; private set; } = null!;
    public Page<WorkItemSummary> WorkItems { get; private set; } = new([], null);
    public ImageGen.Core.Storage.Spend Spend { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string project, CancellationToken cancellationToken)
    {
        if (await catalog.GetProjectAsync(project, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        Project = found;
        WorkItems = await catalog.ListWorkItemsAsync(found.Id, Before, cancellationToken);
        Spend = await costs.ForProjectAsync(found.Id, cancellationToken);
        return Page();
    }
}
