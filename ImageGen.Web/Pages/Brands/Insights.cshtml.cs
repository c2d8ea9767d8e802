using ImageGen.Core.BrandCheck;
using ImageGen.Core.Catalog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Pages.Brands;

/// <summary>What the picks across a brand's work items say: which checks and models win, the words of pick reasons, and revision against revision.</summary>
public sealed class InsightsModel(CatalogStore catalog, BrandInsights insights) : PageModel
{
    public Brand Brand { get; private set; } = null!;
    public BrandInsightReport Report { get; private set; } = null!;

    /// <summary>The revision ids to compare (the older and the newer); both or neither.</summary>
    [FromQuery(Name = "from")]
    public long? From { get; set; }

    [FromQuery(Name = "to")]
    public long? To { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        if (await catalog.GetBrandAsync(slug, cancellationToken) is not { } brand)
        {
            return NotFound();
        }
        Brand = brand;
        Report = await insights.ForBrandAsync(brand.Id, From, To, cancellationToken);
        if ((From is not null || To is not null)
            && (From is null || To is null || From == To || !Report.Revisions.Any(r => r.Id == From) || !Report.Revisions.Any(r => r.Id == To)))
        {
            Error = "Choose two different revisions of this brand; showing the newest pair that met instead.";
        }
        return Page();
    }
}
