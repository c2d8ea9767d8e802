using ImageGen.Core;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Core.Queue;
using ImageGen.Web.Services;
using Microsoft.Net.Http.Headers;
using ImageGen.Core.Storage;
using ImageGen.Core.Spec;

namespace ImageGen.Web;

/// <summary>The non-page routes: images by id, and the change markers the live views listen to.</summary>
public static class Endpoints
{
    public static WebApplication MapWebEndpoints(this WebApplication app)
    {
        // Images are found by their run_images id only; the stored relative path is resolved under the data
        // root's images and assets and refused if it would leave them (DataRoot.ResolveStoredImage: not even the
        // database next to them). The bytes never change for an id, so the ETag is the hash.
        app.MapGet("/images/{id:long}", async (long id, bool? download, RunQueries runs, DataRoot root, CancellationToken cancellationToken) =>
        {
            var image = await runs.GetImageAsync(id, cancellationToken);
            var file = image is null ? null : root.ResolveStoredImage(image.Path);
            if (image is null || file is null || !File.Exists(file))
            {
                return Results.NotFound();
            }
            return Results.File(file, ImageFormats.ContentType(image.Format),
                fileDownloadName: download == true ? image.FileName : null,
                entityTag: new EntityTagHeaderValue($"\"{image.Sha256}\""));
        });

        // What every grid loads: the WebP thumbnail made at ingest (the original when an image has none).
        app.MapGet("/images/{id:long}/thumbnail", async (long id, RunQueries runs, DataRoot root, CancellationToken cancellationToken) =>
        {
            var image = await runs.GetImageAsync(id, cancellationToken);
            if (image is null)
            {
                return Results.NotFound();
            }
            var thumbnail = image.ThumbnailPath is null ? null : root.ResolveStoredImage(image.ThumbnailPath);
            if (thumbnail is not null && File.Exists(thumbnail))
            {
                return Results.File(thumbnail, "image/webp", entityTag: new EntityTagHeaderValue($"\"{image.Sha256}-t\""));
            }
            var original = root.ResolveStoredImage(image.Path);
            return original is not null && File.Exists(original)
                ? Results.File(original, ImageFormats.ContentType(image.Format), entityTag: new EntityTagHeaderValue($"\"{image.Sha256}\""))
                : Results.NotFound();
        });

        // The provider's own file, kept beside a candidate that was resized or converted (with its Content Credentials,
        // when it had any). Always a download: its type is whatever the provider sent, read from its name.
        app.MapGet("/images/{id:long}/original", async (long id, RunQueries runs, DataRoot root, CancellationToken cancellationToken) =>
        {
            var image = await runs.GetImageAsync(id, cancellationToken);
            var file = image?.OriginalPath is { } path ? root.ResolveStoredImage(path) : null;
            if (file is null || !File.Exists(file))
            {
                return Results.NotFound();
            }
            var format = ImageFormats.Parse(Path.GetExtension(file).TrimStart('.')) ?? "";
            return Results.File(file, ImageFormats.ContentType(format), fileDownloadName: Path.GetFileName(file));
        });

        // Brand assets and work item uploads by id; their files are content-addressed, so the hash is the ETag.
        app.MapGet("/assets/{id:long}", async (long id, ImageGen.Core.Storage.AssetStore assets, DataRoot root, CancellationToken cancellationToken) =>
            await assets.GetAsync(id, cancellationToken) is { } asset && root.ResolveStoredImage(asset.Path) is { } file && File.Exists(file)
                ? Results.File(file, ImageFormats.ContentType(asset.Format), entityTag: new EntityTagHeaderValue($"\"{asset.Sha256}\""))
                : Results.NotFound());

        app.MapGet("/assets/{id:long}/thumbnail", async (long id, ImageGen.Core.Storage.AssetStore assets, DataRoot root, CancellationToken cancellationToken) =>
            await assets.GetAsync(id, cancellationToken) is { } asset && root.ResolveStoredImage(asset.ThumbnailPath) is { } file && File.Exists(file)
                ? Results.File(file, "image/webp", entityTag: new EntityTagHeaderValue($"\"{asset.Sha256}-t\""))
                : Results.NotFound());

        // Export bundles by file name only (letters, digits, hyphens, dots; in the exports folder).
        app.MapGet("/exports/{fileName}", (string fileName, ImageGen.Core.Storage.ExportBuilder exports) =>
            exports.Resolve(fileName) is { } path ? Results.File(path, "application/zip", fileDownloadName: fileName) : Results.NotFound());

        app.MapGet("/live/jobs", async (JobQueries jobs, CancellationToken cancellationToken) =>
            Results.Json(new { version = await jobs.VersionAsync(cancellationToken) }));

        app.MapGet("/live/work-items/{id:long}", async (long id, JobQueries jobs, CancellationToken cancellationToken) =>
            Results.Json(new { version = await jobs.WorkItemVersionAsync(id, cancellationToken) }));

        // The same markers pushed as Server-Sent Events (Services/LiveChanges.cs): the live views listen here.
        app.MapGet("/live/jobs/events", (string? since, HttpContext context, JobQueries jobs, LiveChanges live, IHostApplicationLifetime lifetime) =>
            LiveStream(context, live, lifetime, since, jobs.VersionAsync));

        app.MapGet("/live/work-items/{id:long}/events", (long id, string? since, HttpContext context, JobQueries jobs, LiveChanges live, IHostApplicationLifetime lifetime) =>
            LiveStream(context, live, lifetime, since, cancellationToken => jobs.WorkItemVersionAsync(id, cancellationToken)));

        return app;
    }

    // A stream ends when its client leaves or the app stops (so a shutdown never waits on open pages). A reconnecting
    // browser sends the last marker it saw as Last-Event-ID, which then counts instead of the page's own.
    private static IResult LiveStream(HttpContext context, LiveChanges live, IHostApplicationLifetime lifetime, string? since,
        Func<CancellationToken, Task<string>> marker)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.RegisterForDispose(stop);
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        return TypedResults.ServerSentEvents(live.StreamAsync(marker, lastEventId.Length > 0 ? lastEventId : since, stop.Token));
    }
}
