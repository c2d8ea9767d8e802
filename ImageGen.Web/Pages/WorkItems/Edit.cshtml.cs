using ImageGen.Core.Catalog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Pages.WorkItems;

public sealed class EditModel(CatalogStore catalog) : PageModel
{
    [BindProperty]
    public WorkItemInput Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public WorkItemDetail Item { get; private set; } = null!;
    public IReadOnlyList<(long Id, string Name)> Brands { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string project, string item, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(project, item, cancellationToken))
        {
            return NotFound();
        }
        Input = new WorkItemInput { Name = Item.Name, Type = Item.Type, Prompt = Item.Prompt, Constraints = Item.Constraints, BrandId = Item.BrandId };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string project, string item, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(project, item, cancellationToken))
        {
            return NotFound();
        }
        Input.Validate(ModelState, Brands);
        if (!ModelState.IsValid)
        {
            return Page();
        }
        await catalog.UpdateWorkItemAsync(Item.Id, Input.Name.Trim(), Input.Type, Input.Prompt.Trim(), Input.Constraints?.Trim() ?? "", Input.BrandId, cancellationToken);
        StatusMessage = $"Work item '{Input.Name.Trim()}' saved.";
        return Redirect($"/projects/{Item.ProjectSlug}/items/{Item.Slug}");
    }

    private async Task<bool> LoadAsync(string project, string item, CancellationToken cancellationToken)
    {
        if (await catalog.GetWorkItemAsync(project, item, cancellationToken) is not { } found)
        {
            return false;
        }
        Item = found;
        Brands = await catalog.BrandChoicesAsync(cancellationToken);
        ViewData["Brands"] = Brands;
        ViewData["DefaultBrandName"] = Brands.FirstOrDefault(b => b.Id == found.DefaultBrandId).Name;
        return true;
    }
}
