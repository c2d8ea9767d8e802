using ImageGen.Core;
using ImageGen.Core.Catalog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Pages.WorkItems;

public sealed class CreateModel(CatalogStore catalog) : PageModel
{
    [BindProperty]
    public WorkItemInput Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public ProjectSummary Project { get; private set; } = null!;
    public IReadOnlyList<(long Id, string Name)> Brands { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string project, CancellationToken cancellationToken) =>
        await LoadAsync(project, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string project, CancellationToken cancellationToken)
    {
        var name = (Input.Name ?? "").Trim();
        if (!await LoadAsync(project, cancellationToken))
        {
            return NotFound();
        }
        var slug = SlugInput.Resolve(Input.Slug, name, ModelState);
        Input.Validate(ModelState, Brands);
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var id = await catalog.CreateWorkItemAsync(Project.Id, name, slug, Input.Type, Input.Prompt.Trim(),
            Input.Constraints?.Trim() ?? "", Input.BrandId, cancellationToken);
        if (id is null)
        {
            ModelState.AddModelError("Input.Slug", $"This project already has a work item with the slug '{slug}'. Choose another slug.");
            return Page();
        }
        StatusMessage = $"Work item '{name}' created. Generate its first candidates below.";
        return Redirect($"/projects/{Project.Slug}/items/{slug}");
    }

    private async Task<bool> LoadAsync(string project, CancellationToken cancellationToken)
    {
        if (await catalog.GetProjectAsync(project, cancellationToken) is not { } found)
        {
            return false;
        }
        Project = found;
        Brands = await catalog.BrandChoicesAsync(cancellationToken);
        ViewData["Brands"] = Brands;
        ViewData["DefaultBrandName"] = found.DefaultBrandName;
        return true;
    }
}
