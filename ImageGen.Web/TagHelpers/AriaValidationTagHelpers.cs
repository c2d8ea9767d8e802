using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace ImageGen.Web.TagHelpers;

/// <summary>
/// Validation errors linked to their fields for assistive technology: a field whose value was refused gets
/// <c>aria-invalid="true"</c> and <c>aria-describedby</c> naming its error message (kept beside any hint it already
/// names); the message (<c>asp-validation-for</c>) gets the matching id. Runs after the built-in tag helpers.
/// </summary>
[HtmlTargetElement("input", Attributes = "asp-for")]
[HtmlTargetElement("select", Attributes = "asp-for")]
[HtmlTargetElement("textarea", Attributes = "asp-for")]
public sealed class AriaInvalidTagHelper : TagHelper
{
    public override int Order => 1000;

    [HtmlAttributeName("asp-for")]
    public ModelExpression For { get; set; } = null!;

    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(For.Name);
        if (!ViewContext.ViewData.ModelState.TryGetValue(name, out var entry) || entry.Errors.Count == 0)
        {
            return;
        }
        output.Attributes.SetAttribute("aria-invalid", "true");
        var errorId = ErrorId(name);
        var described = output.Attributes.TryGetAttribute("aria-describedby", out var existing) ? existing.Value?.ToString() : null;
        output.Attributes.SetAttribute("aria-describedby", string.IsNullOrWhiteSpace(described) ? errorId : $"{described} {errorId}");
    }

    /// <summary>The id of a field's error message: its sanitized id plus "-error".</summary>
    public static string ErrorId(string fullName) => TagBuilder.CreateSanitizedId(fullName, "_") + "-error";
}

/// <summary>Gives each validation message the id its field's <c>aria-describedby</c> names.</summary>
[HtmlTargetElement("span", Attributes = "asp-validation-for")]
public sealed class ValidationMessageIdTagHelper : TagHelper
{
    public override int Order => 1000;

    [HtmlAttributeName("asp-validation-for")]
    public ModelExpression For { get; set; } = null!;

    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (!output.Attributes.ContainsName("id"))
        {
            output.Attributes.SetAttribute("id", AriaInvalidTagHelper.ErrorId(ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(For.Name)));
        }
    }
}
