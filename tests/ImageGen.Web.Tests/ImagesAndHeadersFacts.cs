using System.Net;
using System.Security.Cryptography;
using Dapper;
using ImageGen.Core;
using ImageGen.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ImageGen.Web.Tests;

public sealed class ImagesAndHeadersFacts
{
    private static Task<(WebTestHost Web, HttpClient Client, Database Database)> StartAsync() => WebTestHost.StartAsync(runs: 1);

    [Fact]
    public async Task Image_IsServedById_WithItsBytesContentTypeAndETag()
    {
        var (web, client, _) = await StartAsync();
        await using var __ = web;
        using var ___ = client;
        var bytes = new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 };
        var file = Path.Combine(web.Root.Path, "images", "launch", "hero", "run-1", "01.png");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, bytes, TestContext.Current.CancellationToken);

        using var response = await client.GetAsync("/images/1", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal("\"abc\"", response.Headers.ETag!.Tag); // the stored sha256
        Assert.DoesNotContain("immutable", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/images/1");
        revalidate.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"abc\""));
        using var notModified = await client.SendAsync(revalidate, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var download = await client.GetAsync("/images/1?download=true", TestContext.Current.CancellationToken);
        Assert.Equal("01.png", download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
    }

    [Fact]
    public async Task InfoPage_ShowsTheProvenanceEmbeddedInTheFile()
    {
        var (web, client, _) = await StartAsync();
        await using var __ = web;
        using var ___ = client;
        var file = Path.Combine(web.Root.Path, "images", "launch", "hero", "run-1", "01.png");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var provenance = new ImageGen.Core.Imaging.Provenance("a steaming <cup>", "offline/procedural", 1234, 32, 32, "png", "imagegen test");
        await File.WriteAllBytesAsync(file, ImageGen.Core.Imaging.ImageEncoder.EncodeRgb(new byte[32 * 32 * 3], 32, 32, "png", provenance), TestContext.Current.CancellationToken);

        var html = await Forms.GetPageAsync(client, "/images/1/info");

        Assert.Contains("PNG text: parameters", html, StringComparison.Ordinal);
        Assert.Contains("a steaming &lt;cup&gt;", html, StringComparison.Ordinal); // shown, escaped
        Assert.Contains("Seed: 1234", html, StringComparison.Ordinal);
        Assert.Contains("PNG text: imagegen", html, StringComparison.Ordinal);
        Assert.Contains("XMP", html, StringComparison.Ordinal);
        // Where it came from, with the way back to its work item (at the image) and its job.
        Assert.Contains("href=\"/projects/launch/items/hero#image-1\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/jobs/1\">job #1</a>", html, StringComparison.Ordinal);
        using var missing = await client.GetAsync("/images/999/info", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Thumbnail_IsServedWhenRecorded_ElseTheOriginal()
    {
        var (web, client, database) = await StartAsync();
        await using var __ = web;
        using var ___ = client;
        var original = Path.Combine(web.Root.Path, "images", "launch", "hero", "run-1", "01.png");
        var thumbnail = Path.Combine(web.Root.Path, "images", "launch", "hero", "run-1", "thumbs", "01.webp");
        Directory.CreateDirectory(Path.GetDirectoryName(thumbnail)!);
        await File.WriteAllBytesAsync(original, [1, 1, 1], TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(thumbnail, [2, 2], TestContext.Current.CancellationToken);

        using (var fallback = await client.GetAsync("/images/1/thumbnail", TestContext.Current.CancellationToken))
        {
            Assert.Equal("image/png", fallback.Content.Headers.ContentType!.MediaType);
            Assert.Equal([1, 1, 1], await fallback.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE run_images SET thumbnail_path = 'images/launch/hero/run-1/thumbs/01.webp' WHERE id = 1", transaction: t));

        using var response = await client.GetAsync("/images/1/thumbnail", TestContext.Current.CancellationToken);

        Assert.Equal("image/webp", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal([2, 2], await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        using var unknown = await client.GetAsync("/images/999/thumbnail", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("/images/999")]                        // no such id
    [InlineData("/images/2")]                          // a row whose file is missing
    [InlineData("/images/..%2F..%2Fimagegen.db")]      // a path instead of an id
    [InlineData("/images/1%2F..%2F..%2Fimagegen.db")]
    [InlineData("/images/-1")]
    [InlineData("/images/escape")]
    public async Task Image_UnknownIdsAndPathTricks_Are404(string url)
    {
        var (web, client, _) = await StartAsync();
        await using var __ = web;
        using var ___ = client;

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Image_WhoseStoredPathLeavesTheDataRoot_Is404()
    {
        var (web, client, database) = await StartAsync();
        await using var __ = web;
        using var ___ = client;
        var outside = Path.Combine(Path.GetDirectoryName(web.Root.Path)!, $"outside-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(outside, [1, 2, 3], TestContext.Current.CancellationToken);
        try
        {
            await database.WriteAsync((c, t) => c.ExecuteAsync(
                "UPDATE run_images SET path = @path WHERE id = 1", new { path = $"../{Path.GetFileName(outside)}" }, t));

            using var response = await client.GetAsync("/images/1", TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task Headers_CspEverywhere_ImmutableCachingOnlyOnHashedAssets()
    {
        var (web, client, _) = await StartAsync();
        await using var __ = web;
        using var ___ = client;

        using var page = await client.GetAsync("/", TestContext.Current.CancellationToken);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(/static/dist/main-[A-Z0-9]+\\.js)\"").Groups[1].Value;
        var style = System.Text.RegularExpressions.Regex.Match(html, "href=\"(/static/dist/site-[A-Z0-9]+\\.css)\"").Groups[1].Value;
        using var scriptResponse = await client.GetAsync(script, TestContext.Current.CancellationToken);
        using var styleResponse = await client.GetAsync(style, TestContext.Current.CancellationToken);
        using var manifest = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal); // no inline script anywhere on the page
        Assert.Equal(HttpStatusCode.OK, scriptResponse.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", scriptResponse.Headers.CacheControl!.ToString());
        Assert.Equal("public, max-age=31536000, immutable", styleResponse.Headers.CacheControl!.ToString());
        Assert.Null(page.Headers.CacheControl?.MaxAge);
        Assert.Null(manifest.Headers.CacheControl?.MaxAge);
    }

    [Fact]
    public async Task ForeignHostHeader_IsRefused()
    {
        var (web, client, _) = await StartAsync();
        await using var __ = web;
        using var ___ = client;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "attacker.example";

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task LiveMarkers_ChangeWhenAJobChanges()
    {
        var (web, client, database) = await StartAsync();
        await using var __ = web;
        using var ___ = client;
        var before = await client.GetStringAsync("/live/work-items/1", TestContext.Current.CancellationToken);
        var jobsBefore = await client.GetStringAsync("/live/jobs", TestContext.Current.CancellationToken);

        await database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE jobs SET status = 'failed', updated_at = 99999 WHERE id = 1", transaction: t));

        Assert.NotEqual(before, await client.GetStringAsync("/live/work-items/1", TestContext.Current.CancellationToken));
        Assert.NotEqual(jobsBefore, await client.GetStringAsync("/live/jobs", TestContext.Current.CancellationToken));
    }
}
