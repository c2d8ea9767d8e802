using ImageGen.Core;
using ImageGen.Core.Catalog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Pages.Brands;

public sealed class CreateModel(CatalogStore catalog) : PageModel
{
    [BindProperty]
    public BrandInput Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var name = (Input.Name ?? "").Trim();
        var slug = SlugInput.Resolve(Input.Slug, name, ModelState);
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var id = await catalog.CreateBrandAsync(name, slug, Input.Description?.Trim() ?? "", Input.ContentMarkdown ?? "", cancellationToken);
        if (id is null)
        {
            ModelState.AddModelError("Input.Slug", $"A brand with the slug '{slug}' already exists. Choose another slug.");
            return Page();
        }
        StatusMessage = $"Brand '{name}' created.";
        return Redirect($"/brands/{slug}");
    }

    /// <summary>The live preview: the Markdown being typed, rendered as the brand page will show it (same renderer).</summary>
    public IActionResult OnPostPreview() => Partial("_BrandPreview", Input.ContentMarkdown ?? "");
}
