using ImageGen.Core.Assets;
using ImageGen.Core.Catalog;
using ImageGen.Core.Imaging;
using ImageGen.Web.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Pages.Brands;

// Uploads are checked against InputLimits.MaxBytes with a message; the request limit sits above it so a file just over
// the limit gets that message rather than the server's bare 413.
[RequestSizeLimit(InputLimits.MaxBytes * 2)]
public sealed class DetailsModel(CatalogStore catalog, AssetStore assets, AssetUploader uploader, ImageGen.Core.Storage.CostQueries costs) : PageModel
{
    [TempData]
    public string? StatusMessage { get; set; }

    public Brand Brand { get; private set; } = null!;
    public string RenderedHtml { get; private set; } = "";
    public ImageGen.Core.BrandCheck.BrandRules Rules { get; private set; } = new();
    public IReadOnlyList<Asset> Assets { get; private set; } = [];
    public ImageGen.Core.Storage.Spend Spend { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        if (await catalog.GetBrandAsync(slug, cancellationToken) is not { } brand)
        {
            return NotFound();
        }
        Brand = brand;
        RenderedHtml = MarkdownRenderer.ToSafeHtml(brand.ContentMarkdown);
        Rules = ImageGen.Core.BrandCheck.BrandRules.Parse(brand.ContentMarkdown);
        Assets = await assets.ForBrandAsync(brand.Id, cancellationToken);
        Spend = await costs.ForBrandAsync(brand.Id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostUploadAssetAsync(string slug, IFormFile? file, string? role, string? note, CancellationToken cancellationToken)
    {
        if (await catalog.GetBrandAsync(slug, cancellationToken) is not { } brand)
        {
            return NotFound();
        }
        var (ok, message) = await uploader.UploadAsync(file, role, note, brand.Id, null, cancellationToken);
        StatusMessage = ok ? message : $"Error: {message} Nothing was added.";
        return Redirect($"/brands/{brand.Slug}#assets");
    }

    public async Task<IActionResult> OnPostRemoveAssetAsync(string slug, long assetId, CancellationToken cancellationToken)
    {
        if (await catalog.GetBrandAsync(slug, cancellationToken) is not { } brand)
        {
            return NotFound();
        }
        var (ok, message) = await uploader.RemoveAsync(assetId, a => a.BrandId == brand.Id, "this brand's assets", cancellationToken);
        StatusMessage = ok ? message : $"Error: {message}";
        return Redirect($"/brands/{brand.Slug}#assets");
    }
}
