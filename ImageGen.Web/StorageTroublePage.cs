using ImageGen.Core.Storage;

namespace ImageGen.Web;

/// <summary>
/// A full disk or a database held by another program answers 503 with the Error page saying so ("the disk is full,
/// nothing was saved"), in every environment, instead of a bare 500 or a SQLite stack. The request's transaction
/// did not commit, so nothing changed. Other exceptions go on to the usual handlers.
/// </summary>
public static partial class StorageTroublePage
{
    public static IApplicationBuilder UseStorageTroublePage(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (StorageTrouble.From(e) is { } trouble && !context.Response.HasStarted)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StorageTroublePage).FullName!);
            LogTrouble(logger, e, context.Request.Method, context.Request.Path, trouble.Kind);
            // Re-run the pipeline for the Error page, as the exception handler middleware does.
            context.Response.Clear();
            context.Items[typeof(StorageTrouble)] = trouble;
            context.SetEndpoint(null);
            context.Request.RouteValues.Clear();
            context.Request.Path = "/Error";
            context.Request.QueryString = QueryString.Empty;
            context.Request.Method = HttpMethods.Get;
            await next(context);
        }
    });

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed: storage trouble ({Kind}); nothing was saved")]
    private static partial void LogTrouble(ILogger logger, Exception exception, string method, string path, StorageTroubleKind kind);
}
