using ImageGen.Core.Catalog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Pages.Projects;

public sealed class IndexModel(CatalogStore catalog) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    [FromQuery(Name = "before"), System.ComponentModel.DataAnnotations.Range(1, long.MaxValue, ErrorMessage = "it must be a page marker, 1 or more")]
    public long? Before { get; set; }

    public Page<ProjectSummary> Projects { get; private set; } = new([], null);

    public async Task OnGetAsync(CancellationToken cancellationToken) => Projects = await catalog.ListProjectsAsync(Before, cancellationToken);
}
