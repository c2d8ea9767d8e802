using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace ImageGen.Web;

/// <summary>
/// The one-time messages (TempData: "Queued job #12 …", kept in a cookie) as the framework keeps them, except that a page
/// fetched by the page's own script (a live refresh, the next page of older runs; it sends <see cref="HeaderName"/>)
/// neither reads nor writes them: such a fetch shows no banner, and a refresh sent before a POST's answer set the
/// message, answered after, would otherwise delete it (an empty TempData deletes its cookie), so the tab that posted
/// never showed it.
/// </summary>
public sealed class PartialFetchTempData(ITempDataProvider inner) : ITempDataProvider
{
    public const string HeaderName = "X-ImageGen-Partial";

    private static bool IsPartial(HttpContext context) => context.Request.Headers.ContainsKey(HeaderName);

    public IDictionary<string, object> LoadTempData(HttpContext context) =>
        IsPartial(context) ? new Dictionary<string, object>() : inner.LoadTempData(context);

    public void SaveTempData(HttpContext context, IDictionary<string, object> values)
    {
        if (!IsPartial(context))
        {
            inner.SaveTempData(context, values);
        }
    }
}
