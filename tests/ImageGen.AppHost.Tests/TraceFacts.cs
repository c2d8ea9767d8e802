using System.Net;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Dapper;
using ImageGen.Core;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Testing;

namespace ImageGen.AppHost.Tests;

public sealed partial class TraceFacts
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]+)" """)]
    private static partial Regex TokenPattern();

    [GeneratedRegex("""name="Generate.IdempotencyKey" value="([^"]+)" """)]
    private static partial Regex KeyPattern();

    [Fact]
    public async Task GenerateClick_IsOneTrace_FromTheWebPostThroughTheWorkerToTheCli()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync();
        using var data = new ImageGen.Testing.TempDirectory("trace");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ImageGen_AppHost>(
            [$"--Parameters:data-dir={data.Path}"], (options, _) => options.DisableDashboard = true, cancellationToken);
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            // Export to the receiver (instead of the dashboard), quickly.
            builder.CreateResourceBuilder(project)
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Url)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "200")
                .WithEnvironment("OTEL_TRACES_SAMPLER", "always_on");
        }
        await using var app = await builder.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("web", cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("worker", cancellationToken).WaitAsync(StartTimeout, cancellationToken);

        using var database = new ImageGen.Core.Storage.Sqlite.SqliteDatabase(new DataRoot(data.Path));
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO projects (name, slug, created_at, updated_at) VALUES ('Launch', 'launch', 0, 0);
            INSERT INTO work_items (project_id, name, slug, type, prompt, created_at, updated_at) VALUES (1, 'Hero', 'hero', 'hero', 'a cup #c2410c', 0, 0);
            """, transaction: t));

        // The click: the generate form posted with its anti-forgery token, as a browser would.
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        using var web = new HttpClient(handler) { BaseAddress = app.GetEndpoint("web", "http") };
        var page = await web.GetStringAsync("/projects/launch/items/hero", cancellationToken);
        using var post = await web.PostAsync("/projects/launch/items/hero?handler=Generate", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value),
            ["Generate.IdempotencyKey"] = KeyPattern().Match(page).Groups[1].Value,
            ["Generate.Models"] = "offline/procedural", ["Generate.Format"] = "png", ["Generate.Count"] = "2", ["Generate.Size"] = "256x256",
        }), cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);

        var jobs = new ImageGen.Core.Storage.JobQueries(database);
        var job = await Eventually.GetAsync(async () => (await jobs.GetAsync(1))!, j => j.Status == JobStatus.Succeeded, TimeSpan.FromSeconds(60), "the job to succeed");
        Assert.NotNull(job.TraceParent);
        var traceId = job.TraceParent!.Split('-')[1];

        string[] expected = ["job 1", "job.wait", "job.claim", "job.run", "job.store", "imagegen generate", "model offline/procedural", "render", "encode", "write files"];
        var spans = await Eventually.GetAsync(
            () => Task.FromResult(receiver.Spans.Where(s => s.TraceId == traceId).ToList()),
            s => expected.All(name => s.Any(span => span.Name == name)) && s.Any(span => span.Service == "web"),
            TimeSpan.FromSeconds(30), "every span of the job's trace");

        ReceivedSpan One(string name) => Assert.Single(spans, s => s.Name == name);
        // The root of the trace is the web app's server span for the form post (its /wake call is a child).
        var webPost = Assert.Single(spans, s => s.ParentSpanId.Length == 0);
        Assert.Equal("web", webPost.Service);
        Assert.Equal("POST projects/{project}/items/{item}", webPost.Name);
        var jobSpan = One("job 1");
        var run = One("job.run");
        var cli = One("imagegen generate");
        var model = One("model offline/procedural");

        Assert.Equal(("worker", webPost.SpanId), (jobSpan.Service, jobSpan.ParentSpanId));  // web → worker
        Assert.All(new[] { "job.wait", "job.claim", "job.run", "job.store" }, n => Assert.Equal(jobSpan.SpanId, One(n).ParentSpanId));
        Assert.Equal(("imagegen-cli", run.SpanId), (cli.Service, cli.ParentSpanId));        // worker → CLI process
        Assert.Equal(cli.SpanId, model.ParentSpanId);                                         // CLI → provider call
        Assert.All(spans.Where(s => s.Name is "render" or "encode"), s => Assert.Equal(model.SpanId, s.ParentSpanId));
        Assert.Equal(cli.SpanId, One("write files").ParentSpanId);
        Assert.Equal(["imagegen-cli", "web", "worker"], spans.Select(s => s.Service).Distinct().Order());
    }
}
