using ImageGen.Core.Catalog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Pages.Brands;

public sealed class EditModel(CatalogStore catalog) : PageModel
{
    [BindProperty]
    public BrandInput Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public Brand Brand { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        if (await catalog.GetBrandAsync(slug, cancellationToken) is not { } brand)
        {
            return NotFound();
        }
        Brand = brand;
        Input = new BrandInput { Name = brand.Name, Description = brand.Description, ContentMarkdown = brand.ContentMarkdown };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken cancellationToken)
    {
        if (await catalog.GetBrandAsync(slug, cancellationToken) is not { } brand)
        {
            return NotFound();
        }
        Brand = brand;
        if (!ModelState.IsValid)
        {
            return Page();
        }
        await catalog.UpdateBrandAsync(brand.Id, Input.Name.Trim(), Input.Description?.Trim() ?? "", Input.ContentMarkdown ?? "", cancellationToken);
        StatusMessage = $"Brand '{Input.Name.Trim()}' saved.";
        return Redirect($"/brands/{slug}");
    }

    /// <summary>The live preview: the Markdown being typed, rendered as the brand page will show it (same renderer).</summary>
    public IActionResult OnPostPreview() => Partial("_BrandPreview", Input.ContentMarkdown ?? "");
}
