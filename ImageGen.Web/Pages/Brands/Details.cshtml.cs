using ImageGen.Core.Catalog;
using ImageGen.Core.Imaging;
using ImageGen.Web.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ImageGen.Web.Pages.Brands;

public sealed class DetailsModel(CatalogStore catalog) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public Brand Brand { get; private set; } = null!;
    public string RenderedHtml { get; private set; } = "";
    public IReadOnlyList<Rgb> Palette { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        if (await catalog.GetBrandAsync(slug, cancellationToken) is not { } brand)
        {
            return NotFound();
        }
        Brand = brand;
        RenderedHtml = MarkdownRenderer.ToSafeHtml(brand.ContentMarkdown);
        Palette = ImageGen.Core.Imaging.Palette.FromText(brand.ContentMarkdown);
        return Page();
    }
}
