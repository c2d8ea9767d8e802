using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace ImageGen.Web;

/// <summary>
/// Numbers and other values in a page's query string (<c>?page=</c>, <c>?before=</c>, <c>?item=</c>, …) are checked by
/// their <c>[Range]</c> and type, on every page at once: a value that does not parse or is out of range is ignored (the
/// page shows as without it) and the page says so in a banner, rather than failing, wrapping round or silently
/// showing something else.
/// </summary>
public sealed class QueryInputFilter : IPageFilter
{
    public const string ProblemsKey = "ImageGen.QueryProblems";

    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (!HttpMethods.IsGet(context.HttpContext.Request.Method) || context.ModelState.IsValid || context.HandlerInstance is not { } page)
        {
            return;
        }
        var problems = new List<string>();
        foreach (var property in page.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<FromQueryAttribute>() is not { } fromQuery || !property.CanWrite)
            {
                continue;
            }
            var key = fromQuery.Name ?? property.Name;
            if (!context.ModelState.TryGetValue(key, out var entry) || entry.Errors.Count == 0)
            {
                continue;
            }
            if (!context.HttpContext.Request.Query.ContainsKey(key))
            {
                // Not given at all: the property keeps its default; nothing to say.
                context.ModelState.Remove(key);
                continue;
            }
            var value = entry.AttemptedValue ?? "";
            // The property's own range says what is expected, also when the value did not even parse.
            var reason = property.GetCustomAttribute<System.ComponentModel.DataAnnotations.RangeAttribute>() is { } range
                ? range.FormatErrorMessage(key)
                : "it could not be read";
            problems.Add($"'{(value.Length > 40 ? value[..40] + "…" : value)}' is not a valid {key}: {reason.TrimEnd('.')}; it was ignored.");
            property.SetValue(page, property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null
                ? Activator.CreateInstance(property.PropertyType)
                : null);
            context.ModelState.Remove(key);
        }
        context.HttpContext.Items[ProblemsKey] = problems;
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
