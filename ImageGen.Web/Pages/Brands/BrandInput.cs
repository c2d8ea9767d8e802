using System.ComponentModel.DataAnnotations;
using ImageGen.Core.Catalog;

namespace ImageGen.Web.Pages.Brands;

/// <summary>The brand form, shared by create and edit.</summary>
public sealed class BrandInput
{
    [Required(ErrorMessage = "Give the brand a name.")]
    [StringLength(TextLimits.Name, ErrorMessage = "The name is too long: at most {1} characters.")]
    public string Name { get; set; } = "";

    [StringLength(ImageGen.Core.Slug.MaxLength, ErrorMessage = "The slug is too long: at most {1} characters.")]
    [Display(Name = "Slug")]
    public string? Slug { get; set; }

    [StringLength(TextLimits.Description, ErrorMessage = "The description is too long: at most {1} characters.")]
    public string? Description { get; set; }

    [StringLength(TextLimits.Markdown, ErrorMessage = "The style guide is too long: at most {1} characters.")]
    [Display(Name = "Style guide (Markdown)")]
    public string? ContentMarkdown { get; set; }
}
