using System.ComponentModel.DataAnnotations;
using ImageGen.Core;
using ImageGen.Core.Catalog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Pages.Projects;

public sealed class CreateModel(CatalogStore catalog) : PageModel
{
    public sealed class InputModel
    {
        [Required(ErrorMessage = "Give the project a name.")]
        [StringLength(TextLimits.Name, ErrorMessage = "The name is too long: at most {1} characters.")]
        public string Name { get; set; } = "";

        [StringLength(ImageGen.Core.Slug.MaxLength, ErrorMessage = "The slug is too long: at most {1} characters.")]
        public string? Slug { get; set; }

        [Display(Name = "Default brand")]
        public long? DefaultBrandId { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public IReadOnlyList<(long Id, string Name)> Brands { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Brands = await catalog.BrandChoicesAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var name = (Input.Name ?? "").Trim();
        Brands = await catalog.BrandChoicesAsync(cancellationToken);
        var slug = SlugInput.Resolve(Input.Slug, name, ModelState);
        if (Input.DefaultBrandId is { } brandId && Brands.All(b => b.Id != brandId))
        {
            ModelState.AddModelError("Input.DefaultBrandId", "That brand does not exist.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        if (await catalog.CreateProjectAsync(name, slug, Input.DefaultBrandId, cancellationToken) is null)
        {
            ModelState.AddModelError("Input.Slug", $"A project with the slug '{slug}' already exists. Choose another slug.");
            return Page();
        }
        StatusMessage = $"Project '{name}' created.";
        return Redirect($"/projects/{slug}");
    }
}
