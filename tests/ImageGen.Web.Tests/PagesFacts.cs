using System.Net;
using Dapper;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.DependencyInjection;

namespace ImageGen.Web.Tests;

public sealed class PagesFacts
{
    private const string ClosedWorker = "http://127.0.0.1:9";

    private static Task<(WebTestHost Web, HttpClient Client, Database Database)> StartAsync() => WebTestHost.StartAsync(seedCatalog: false);

    private static Task<long> CountAsync(Database database, string table) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}"));

    [Fact]
    public async Task EveryPage_Renders()
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;
        await Seed.CatalogAsync(database);
        await Seed.RunsAsync(database, 1);

        string[] pages =
        [
            "/", "/brands", "/brands/new", "/brands/acme", "/brands/acme/edit", "/projects", "/projects/new", "/projects/launch",
            "/projects/launch/items/new", "/projects/launch/items/hero", "/projects/launch/items/hero/edit",
            "/jobs", "/jobs?status=succeeded", "/jobs/1",
        ];
        foreach (var page in pages)
        {
            var html = await Forms.GetPageAsync(client, page);
            Assert.Contains("</html>", html, StringComparison.Ordinal);
        }
        using var missing = await client.GetAsync("/projects/nope/items/none", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task BrandProjectAndWorkItem_AreCreatedThroughTheForms_AndABrandEditShows()
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;

        using var brand = await Forms.PostAsync(client, "/brands/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "Acme Coffee",
            ["Input.Description"] = "Warm",
            ["Input.ContentMarkdown"] = "# Acme\nPrimary #c2410c\n\n[bad](javascript:alert(1)) <script>alert(1)</script>",
        });
        Assert.Equal(HttpStatusCode.Redirect, brand.StatusCode);
        Assert.Equal("/brands/acme-coffee", brand.Headers.Location!.OriginalString);
        var brandPage = await Forms.GetPageAsync(client, "/brands/acme-coffee");
        Assert.Contains("Brand &#x27;Acme Coffee&#x27; created.", brandPage, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"acme\">Acme</h2>", brandPage, StringComparison.Ordinal);         // one h1 per page: the brand's name
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(brandPage, "<h1[ >]"));
        Assert.Contains("<p>bad", brandPage, StringComparison.Ordinal);   // javascript: link shown as plain text
        Assert.DoesNotContain("javascript:", brandPage, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", brandPage, StringComparison.Ordinal);
        Assert.Contains("#c2410c", brandPage, StringComparison.Ordinal);

        using var edit = await Forms.PostAsync(client, "/brands/acme-coffee/edit", new Dictionary<string, string>
        {
            ["Input.Name"] = "Acme Coffee Co.",
            ["Input.ContentMarkdown"] = "Now **bolder**.",
        });
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        var edited = await Forms.GetPageAsync(client, "/brands/acme-coffee");
        Assert.Contains("Acme Coffee Co.", edited, StringComparison.Ordinal);
        Assert.Contains("<strong>bolder</strong>", edited, StringComparison.Ordinal);

        using var project = await Forms.PostAsync(client, "/projects/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "Spring Launch",
            ["Input.DefaultBrandId"] = "1",
        });
        Assert.Equal("/projects/spring-launch", project.Headers.Location!.OriginalString);

        using var item = await Forms.PostAsync(client, "/projects/spring-launch/items/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "Hero banner",
            ["Input.Type"] = "hero",
            ["Input.Prompt"] = "a steaming cup",
            ["Input.Constraints"] = "no text",
        });
        Assert.Equal("/projects/spring-launch/items/hero-banner", item.Headers.Location!.OriginalString);
        var itemPage = await Forms.GetPageAsync(client, "/projects/spring-launch/items/hero-banner");
        Assert.Contains("Acme Coffee Co.</a> <span class=\"muted\">(the project&#x27;s default)", itemPage, StringComparison.Ordinal);
        Assert.Contains("A hero banner image: a steaming cup", itemPage, StringComparison.Ordinal); // the composed prompt
        Assert.Contains("Now bolder.", itemPage, StringComparison.Ordinal);                          // the brand text in it, as plain text
        Assert.DoesNotContain("**bolder**", itemPage, StringComparison.Ordinal);
        Assert.DoesNotContain("export-heading", itemPage, StringComparison.Ordinal);                 // nothing to export yet
        Assert.Equal(1, await CountAsync(database, "work_items"));
    }

    public static TheoryData<string, Dictionary<string, string>, string, string> InvalidForms => new()
    {
        { "/brands/new", new() { ["Input.Name"] = "" }, "Give the brand a name.", "brands" },
        { "/brands/new", new() { ["Input.Name"] = "Acme", ["Input.Slug"] = "acme" }, "A brand with the slug &#x27;acme&#x27; already exists.", "brands" },
        { "/brands/new", new() { ["Input.Name"] = "X", ["Input.Slug"] = "Not A Slug!" }, "is not a valid slug", "brands" },
        { "/brands/new", new() { ["Input.Name"] = new string('n', 201) }, "The name is too long: at most 200 characters.", "brands" },
        { "/brands/new", new() { ["Input.Name"] = "Big", ["Input.ContentMarkdown"] = new string('m', 100_001) }, "The style guide is too long", "brands" },
        { "/projects/new", new() { ["Input.Name"] = "Launch" }, "A project with the slug &#x27;launch&#x27; already exists.", "projects" },
        { "/projects/launch/items/new", new() { ["Input.Name"] = "Hero", ["Input.Type"] = "hero", ["Input.Prompt"] = "p" }, "already has a work item with the slug &#x27;hero&#x27;", "work_items" },
        { "/projects/launch/items/new", new() { ["Input.Name"] = "Empty", ["Input.Type"] = "hero", ["Input.Prompt"] = "" }, "the prompt cannot be empty", "work_items" },
        { "/projects/launch/items/new", new() { ["Input.Name"] = "Long", ["Input.Type"] = "hero", ["Input.Prompt"] = new string('p', 8_001) }, "The prompt is too long", "work_items" },
        { "/projects/launch/items/new", new() { ["Input.Name"] = "Odd", ["Input.Type"] = "poster", ["Input.Prompt"] = "p" }, "&#x27;poster&#x27; is not a work item type", "work_items" },
    };

    [Theory]
    [MemberData(nameof(InvalidForms))]
    public async Task InvalidForm_ShowsTheErrorOnTheForm_AndWritesNothing(string page, Dictionary<string, string> fields, string message, string table)
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;
        await Seed.CatalogAsync(database);
        var before = await CountAsync(database, table);

        using var response = await Forms.PostAsync(client, page, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the form again, not a redirect
        Assert.Contains(message, await Forms.BodyAsync(response), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync(database, table));
    }

    public static TheoryData<string, string, string> InvalidGenerate => new()
    {
        { "Generate.Models", "acme/unknown", "Unknown model &#x27;acme/unknown&#x27;." },
        { "Generate.Size", "big", "Size &#x27;big&#x27; is not WIDTHxHEIGHT" },
        { "Generate.Size", "5000x5000", "out of range" },
        { "Generate.Count", "9", "Count must be between 1 and 8." },
        { "Generate.Count", "0", "Count must be between 1 and 8." },
        { "Generate.Format", "gif", "&#x27;gif&#x27; is not a format" },
        { "Generate.Adjustment", new string('a', 2_001), "The adjustment is too long" },
    };

    [Theory]
    [MemberData(nameof(InvalidGenerate))]
    public async Task Generate_WithABadValue_ShowsTheErrorAndQueuesNothing(string field, string value, string message)
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;
        await Seed.CatalogAsync(database);
        var page = await Forms.GetPageAsync(client, "/projects/launch/items/hero");
        var fields = new Dictionary<string, string>
        {
            ["Generate.Models"] = "offline/procedural", ["Generate.Format"] = "png", ["Generate.Count"] = "2",
            ["Generate.IdempotencyKey"] = Forms.IdempotencyKey(page),
        };
        fields[field] = value;

        using var response = await Forms.PostAsync(client, "/projects/launch/items/hero", fields, "/projects/launch/items/hero?handler=Generate");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, await Forms.BodyAsync(response), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(database, "jobs"));
    }

    [Fact]
    public async Task Generate_SubmittedTwiceWithOneKey_MakesOneJob_WithTheComposedPrompt()
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;
        await Seed.CatalogAsync(database);
        var page = await Forms.GetPageAsync(client, "/projects/launch/items/hero");
        var fields = new Dictionary<string, string>
        {
            ["Generate.Models"] = "offline/procedural", ["Generate.Format"] = "webp", ["Generate.Count"] = "3",
            ["Generate.Size"] = "640x360", ["Generate.Seed"] = "7", ["Generate.IdempotencyKey"] = Forms.IdempotencyKey(page),
        };

        using var first = await Forms.PostAsync(client, "/projects/launch/items/hero", fields, "/projects/launch/items/hero?handler=Generate");
        using var second = await Forms.PostAsync(client, "/projects/launch/items/hero", fields, "/projects/launch/items/hero?handler=Generate");

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(1, await CountAsync(database, "jobs"));
        var after = await Forms.GetPageAsync(client, "/projects/launch/items/hero");
        Assert.Contains("was already queued by this form", after, StringComparison.Ordinal);
        var job = (await web.Services.GetRequiredService<JobQueries>().GetAsync(1))!;
        var payload = ImageGen.Core.Spec.JobSpec.Parse(job.PayloadJson);
        Assert.Equal(("webp", 3, "640x360", 7L), (payload.Format, payload.Count, payload.Size!, payload.Seed!.Value));
        Assert.Contains("Primary #ff5500", payload.Prompt, StringComparison.Ordinal); // the project's brand
        Assert.Equal(1, job.WorkItemId);
        Assert.Equal("generating", await database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT status FROM work_items WHERE id = 1")));
    }

    [Fact]
    public async Task APagesOwnFetch_LeavesTheOneTimeMessage_ForThePageTheReaderLoads()
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;
        await Seed.CatalogAsync(database);
        const string item = "/projects/launch/items/hero";
        var page = await Forms.GetPageAsync(client, item);
        using var posted = await Forms.PostAsync(client, item, new Dictionary<string, string>
        {
            ["Generate.Models"] = "offline/procedural", ["Generate.Count"] = "1", ["Generate.Size"] = "640x360",
            ["Generate.IdempotencyKey"] = Forms.IdempotencyKey(page),
        }, $"{item}?handler=Generate");
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);

        // Another tab of the same browser refreshes itself live (live.ts) before this one follows its redirect. Its answer
        // must not touch the message's cookie: sent before the POST's answer set it, an answer that wrote TempData would
        // delete it.
        using (var live = new HttpRequestMessage(HttpMethod.Get, item))
        {
            live.Headers.Add(PartialFetchTempData.HeaderName, "1");
            using var refreshed = await client.SendAsync(live, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            var cookies = refreshed.Headers.TryGetValues("Set-Cookie", out var set) ? set : [];
            Assert.DoesNotContain(cookies, c => c.StartsWith(CookieTempDataProvider.CookieName, StringComparison.Ordinal));
        }

        Assert.Contains("Queued job #1 (offline/procedural)", await Forms.GetPageAsync(client, item), StringComparison.Ordinal);
        Assert.DoesNotContain("Queued job #1", await Forms.GetPageAsync(client, item), StringComparison.Ordinal); // still once
    }

    [Fact]
    public async Task Generate_WithTwoModels_QueuesOneJobPerModel_WithTheSameSettings()
    {
        await using var web = new WebTestHost(ClosedWorker, new Dictionary<string, string> { ["IMAGEGEN_COMPAT_BASE_URL"] = "http://127.0.0.1:9" });
        using var client = web.CreateClient();
        await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var database = web.Services.GetRequiredService<Database>();
        await Seed.CatalogAsync(database);
        var page = await Forms.GetPageAsync(client, "/projects/launch/items/hero");
        KeyValuePair<string, string>[] fields =
        [
            new("Generate.Models", "offline/procedural"), new("Generate.Models", "compat/default"),
            new("Generate.Format", "png"), new("Generate.Count", "2"), new("Generate.Seed", "9"),
            new("Generate.IdempotencyKey", Forms.IdempotencyKey(page)),
        ];

        using var first = await Forms.PostPairsAsync(client, "/projects/launch/items/hero", fields, "/projects/launch/items/hero?handler=Generate");
        using var again = await Forms.PostPairsAsync(client, "/projects/launch/items/hero", fields, "/projects/launch/items/hero?handler=Generate");

        var jobs = (await database.ReadAsync(c => c.QueryAsync<string>("SELECT payload_json FROM jobs ORDER BY id")))
            .Select(ImageGen.Core.Spec.JobSpec.Parse).ToList();
        Assert.Equal(["offline/procedural", "compat/default"], jobs.Select(j => j.Model));
        Assert.All(jobs, j => Assert.Equal((2, 9L, "png"), (j.Count, j.Seed!.Value, j.Format)));
        Assert.Equal(jobs[0].Prompt, jobs[1].Prompt);
    }

    [Fact]
    public async Task JobPage_CancelsAQueuedJob_AndRetriesAFailedOne()
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;
        await Seed.CatalogAsync(database);
        var queue = web.Services.GetRequiredService<IJobQueue>();
        var jobs = web.Services.GetRequiredService<JobQueries>();
        var queued = (await queue.EnqueueAsync(new NewJob(JobKinds.Generate, """{"model":"offline/procedural","composedPrompt":"x"}""") { WorkItemId = 1 })).JobId;

        using var cancel = await Forms.PostAsync(client, $"/jobs/{queued}", new Dictionary<string, string>(), $"/jobs/{queued}?handler=Cancel");

        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        Assert.Equal(JobStatus.Canceled, (await jobs.GetAsync(queued))!.Status);
        var canceledPage = await Forms.GetPageAsync(client, $"/jobs/{queued}");
        Assert.Contains("canceled before it started", canceledPage, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"error-heading\">Canceled</h2>", canceledPage, StringComparison.Ordinal);

        using var retry = await Forms.PostAsync(client, $"/jobs/{queued}", new Dictionary<string, string>(), $"/jobs/{queued}?handler=Retry");

        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        var retryId = long.Parse(retry.Headers.Location!.OriginalString["/jobs/".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var retried = (await jobs.GetAsync(retryId))!;
        Assert.Equal((JobStatus.Queued, (long?)queued), (retried.Status, retried.RetryOfJobId));
        Assert.Contains($"retry of <a href=\"/jobs/{queued}\">", await Forms.GetPageAsync(client, $"/jobs/{retryId}"), StringComparison.Ordinal);
        Assert.Equal("generating", await database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT status FROM work_items WHERE id = 1")));
    }

    [Fact]
    public async Task Post_WithoutTheAntiForgeryToken_IsRefused()
    {
        var (web, client, database) = await StartAsync();
        await using var _ = web;
        using var __ = client;

        using var response = await client.PostAsync("/brands/new", new FormUrlEncodedContent([new("Input.Name", "Sneaky")]), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await CountAsync(database, "brands"));
    }
}
