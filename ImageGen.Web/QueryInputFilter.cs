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
            var value = entry.AttemptedValue ?? "";
            var reason = entry.Errors[0].ErrorMessage is { Length: > 0 } message ? message : "it could not be read";
            problems.Add($"'{(value.Length > 40 ? value[..40] + "…" : value)}' is not a valid {key}: {reason}; it was ignored.");
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
