using System.ComponentModel.DataAnnotations;
using ImageGen.Core.Catalog;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ImageGen.Web.Pages.WorkItems;

/// <summary>The work item form, shared by create and edit (the slug is only set at creation).</summary>
public sealed class WorkItemInput
{
    [Required(ErrorMessage = "Give the work item a name.")]
    [StringLength(TextLimits.Name, ErrorMessage = "The name is too long: at most {1} characters.")]
    public string Name { get; set; } = "";

    [StringLength(Core.Slug.MaxLength, ErrorMessage = "The slug is too long: at most {1} characters.")]
    public string? Slug { get; set; }

    [Required]
    public string Type { get; set; } = "other";

    [Required(ErrorMessage = "Describe the image you need: the prompt cannot be empty.")]
    [StringLength(TextLimits.Prompt, ErrorMessage = "The prompt is too long: at most {1} characters.")]
    public string Prompt { get; set; } = "";

    [StringLength(TextLimits.Constraints, ErrorMessage = "The constraints are too long: at most {1} characters.")]
    public string? Constraints { get; set; }

    [Display(Name = "Brand")]
    public long? BrandId { get; set; }

    /// <summary>Checks what data annotations cannot: a known type and an existing brand.</summary>
    public void Validate(ModelStateDictionary modelState, IReadOnlyList<(long Id, string Name)> brands)
    {
        if (!WorkItemTypes.All.Contains(Type))
        {
            modelState.AddModelError("Input.Type", $"'{Type}' is not a work item type. Choose one of: {string.Join(", ", WorkItemTypes.All)}.");
        }
        if (BrandId is { } id && brands.All(b => b.Id != id))
        {
            modelState.AddModelError("Input.BrandId", "That brand does not exist.");
        }
    }
}
