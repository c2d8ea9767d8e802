using ImageGen.Core;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ImageGen.Web;

/// <summary>The slug field of the create forms: made from the name when left empty, else taken as typed.</summary>
public static class SlugInput
{
    /// <summary>The slug to use; adds an error on <c>Input.Slug</c> when it is not valid (only if the form is otherwise valid).</summary>
    public static string Resolve(string? typed, string name, ModelStateDictionary modelState)
    {
        var slug = string.IsNullOrWhiteSpace(typed) ? Slug.From(name) : typed.Trim();
        if (modelState.IsValid && !Slug.IsValid(slug))
        {
            modelState.AddModelError("Input.Slug", $"'{slug}' is not a valid slug: use lowercase letters, digits and single hyphens.");
        }
        return slug;
    }
}
