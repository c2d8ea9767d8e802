using Dapper;
using ImageGen.Core;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ImageGen.Web.Tests;

public sealed class DashboardPageFacts
{
    private static readonly WorkerStatus OnlineWorker = new("test-worker:42", "0.1.0", 2, 1, [7], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 3, 1);

    [Fact]
    public async Task Dashboard_ShowsCountsRecentJobsAndTheWorkerStatus()
    {
        await using var worker = await FakeWorker.StartAsync(OnlineWorker);
        await using var web = new WebTestHost(worker.BaseUrl);
        using var client = web.CreateClient();
        await client.GetAsync("/health", TestContext.Current.CancellationToken); // starts the app, which migrates
        var database = web.Services.GetRequiredService<Database>();
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO brands (name, slug, created_at, updated_at) VALUES ('Acme', 'acme', 0, 0), ('Beta', 'beta', 0, 0);
            INSERT INTO projects (name, slug, created_at, updated_at) VALUES ('Launch', 'launch', 0, 0);
            """, transaction: t));
        var queue = web.Services.GetRequiredService<IJobQueue>();
        await queue.EnqueueAsync(new NewJob(JobKinds.Generate, "{}"));
        await queue.EnqueueAsync(new NewJob(JobKinds.Generate, "{}") { MaxAttempts = 1 });
        var claim = (await queue.ClaimAsync("w"))!;
        await queue.FailAsync(claim, "The provider said no.", transient: false);

        var html = await client.GetStringAsync("/", TestContext.Current.CancellationToken);

        Assert.Contains("<h1>Dashboard</h1>", html, StringComparison.Ordinal);
        Assert.Contains("""data-testid="count-brands">2<""", html, StringComparison.Ordinal);
        Assert.Contains("""data-testid="count-projects">1<""", html, StringComparison.Ordinal);
        Assert.Contains("""data-testid="count-work-items">0<""", html, StringComparison.Ordinal);
        Assert.Contains("""data-testid="jobs-queued">1<""", html, StringComparison.Ordinal);
        Assert.Contains("""data-testid="jobs-failed">1<""", html, StringComparison.Ordinal);
        Assert.Contains("The provider said no.", html, StringComparison.Ordinal);
        Assert.Contains("test-worker:42", html, StringComparison.Ordinal);
        Assert.Contains("1 of 2 slot(s) busy", html, StringComparison.Ordinal);
        // No work item yet: the first steps show, the brand and project ones marked done.
        Assert.Contains("data-testid=\"get-started\"", html, StringComparison.Ordinal);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "<span class=\"pill pill-ok\">done</span>").Count);

        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO work_items (project_id, name, slug, type, prompt, status, created_at, updated_at) VALUES (1, 'Hero', 'hero', 'other', 'p', 'draft', 0, 0)",
            transaction: t));
        var later = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("data-testid=\"get-started\"", later, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_WhenTheWorkerIsDown_SaysSoAndStillRenders()
    {
        var port = ImageGen.Testing.Ports.Closed();
        await using var web = new WebTestHost($"http://127.0.0.1:{port}");
        using var client = web.CreateClient();

        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("unreachable", html, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project ImageGen.AppHost", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_MigratesTheDatabaseBeforeServing()
    {
        await using var web = new WebTestHost("http://127.0.0.1:9");
        using var client = web.CreateClient();

        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.True(File.Exists(web.Root.DatabasePath));
        var database = web.Services.GetRequiredService<Database>();
        Assert.Equal(ImageGen.Core.Storage.Sqlite.SqliteMigrator.LatestVersion, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("PRAGMA user_version")));
    }

    [Fact]
    public async Task WorkerInTrouble_IsShownOnTheDashboard_AndOnAWaitingJobsPage()
    {
        const string trouble = "The worker cannot claim jobs: the disk is full.";
        await using var worker = await FakeWorker.StartAsync(OnlineWorker with { Trouble = trouble, TroubleSince = DateTimeOffset.UtcNow });
        await using var web = new WebTestHost(worker.BaseUrl);
        using var client = web.CreateClient();
        await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var queue = web.Services.GetRequiredService<IJobQueue>();
        var waiting = (await queue.EnqueueAsync(new NewJob(JobKinds.Generate, "{}"))).JobId;

        var dashboard = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        var jobPage = await client.GetStringAsync($"/jobs/{waiting}", TestContext.Current.CancellationToken);

        Assert.Contains("data-testid=\"worker-trouble\"", dashboard, StringComparison.Ordinal);
        Assert.Contains(trouble, dashboard, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"worker-trouble\"", jobPage, StringComparison.Ordinal);
        Assert.Contains(trouble, jobPage, StringComparison.Ordinal);
    }
}
