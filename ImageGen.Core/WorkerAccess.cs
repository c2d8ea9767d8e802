using System.Security.Cryptography;
using System.Text;

namespace ImageGen.Core;

/// <summary>
/// How the worker's commands (<c>POST /wake|pause|resume|requeue-expired</c>) tell its callers from a web page. Every
/// command must carry <see cref="HeaderName"/>: a cross-site form cannot send a custom header, and the worker approves
/// no CORS preflight, so a page in the user's browser cannot. When a key is configured (<see cref="ConfigKey"/>; the
/// AppHost makes a new random one at every start and hands it to the web app, the worker and its dashboard
/// commands) the header must also carry that key. A request that says it comes from a browser (an <c>Origin</c> or a
/// cross-site <c>Sec-Fetch-Site</c>) is refused whatever it carries.
/// </summary>
public static class WorkerAccess
{
    public const string HeaderName = "X-ImageGen-Worker-Key";
    public const string ConfigKey = "ImageGen:WorkerKey";

    /// <summary>What a caller sends when no key is configured (a worker started by hand).</summary>
    public const string NoKey = "none";

    /// <summary>Null when the request may run a command; otherwise why not, in words for the 403 body.</summary>
    public static string? Refusal(string? configuredKey, string? presentedKey, string? origin, string? fetchSite)
    {
        if (!string.IsNullOrEmpty(origin) || fetchSite is "cross-site" or "same-site")
        {
            return "The worker takes commands from the ImageGen web app and the Aspire dashboard only, never from a web page.";
        }
        if (string.IsNullOrEmpty(presentedKey))
        {
            return $"A worker command needs the {HeaderName} header.";
        }
        if (!string.IsNullOrEmpty(configuredKey)
            && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(configuredKey), Encoding.UTF8.GetBytes(presentedKey)))
        {
            return $"The {HeaderName} header does not match this worker's key.";
        }
        return null;
    }
}
