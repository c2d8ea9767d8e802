using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace ImageGen.Web;

/// <summary>
/// A page fetched by the page's own script (a live refresh, the next page of older runs) sends
/// <see cref="HeaderName"/>; such a fetch must not take the one-time message (TempData, "Queued job #12 …") that a POST
/// left for the next page the reader loads. Without this, a tab refreshing itself live consumed the message meant for
/// the tab that had just posted, and showed it nowhere (only its live regions are morphed).
/// </summary>
public sealed class PartialFetchFilter : IPageFilter
{
    public const string HeaderName = "X-ImageGen-Partial";

    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
    }

    // After the handler (and the [TempData] properties, read before it), before the TempData is saved with the response.
    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
        if (context.HttpContext.Request.Headers.ContainsKey(HeaderName))
        {
            context.HttpContext.RequestServices.GetRequiredService<ITempDataDictionaryFactory>().GetTempData(context.HttpContext).Keep();
        }
    }
}
