using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ImageGen.Core;
using ImageGen.Core.Catalog;
using ImageGen.Core.Files;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Core.Storage.Postgres;
using ImageGen.Core.Storage.Sql;
using ImageGen.Testing;
using Microsoft.Extensions.Options;
using ImageGen.Core.Spec;

namespace ImageGen.AppHost.Tests;

/// <summary>
/// <c>--Parameters:store=postgres</c>: the AppHost runs PostgreSQL itself from the Debian binaries, waits for it, and runs
/// two worker replicas on it; a job queued straight into PostgreSQL is heard (NOTIFY), generated and recorded end to end.
/// </summary>
public sealed class PostgresModeFacts
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task PostgresMode_RunsTheServerAndTwoWorkerReplicas_AndAJobGoesEndToEnd()
    {
        using var data = new ImageGen.Testing.TempDirectory("apphost-pg");
        var cancellationToken = TestContext.Current.CancellationToken;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ImageGen_AppHost>(
            [$"--Parameters:data-dir={data.Path}", "--Parameters:store=postgres", $"--Parameters:postgres-data={data.Combine("pg")}"],
            (options, _) => options.DisableDashboard = true,
            cancellationToken);
        await using var app = await builder.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);

        await app.ResourceNotifications.WaitForResourceHealthyAsync("postgres", cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("web", cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        var healthyReplicas = new HashSet<string>();
        await foreach (var update in app.ResourceNotifications.WatchAsync(cancellationToken).WithCancellation(cancellationToken))
        {
            if (update.Resource.Name == "worker" && update.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
            {
                healthyReplicas.Add(update.ResourceId);
            }
            if (healthyReplicas.Count == 2)
            {
                break;
            }
        }
        Assert.Equal(2, healthyReplicas.Count);
        Assert.False(File.Exists(Path.Combine(data.Path, "imagegen.db"))); // nothing went to SQLite

        var connectionString = await app.GetConnectionStringAsync("postgres", cancellationToken);
        Assert.NotNull(connectionString);
        var root = new DataRoot(data.Path);
        using var database = new PostgresDatabase(root, connectionString!);
        await Eventually.GetAsync(() => database.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<int?>(c, "SELECT max(version) FROM schema_version")),
            v => v == database.LatestSchemaVersion, TimeSpan.FromSeconds(30), "the web app's and the workers' migration");
        var catalog = new CatalogStore(database, TimeProvider.System);
        var projectId = (await catalog.CreateProjectAsync("Launch", "launch", null, cancellationToken))!.Value;
        var itemId = (await catalog.CreateWorkItemAsync(projectId, "Hero", "hero", "other", "a cup", "", null, cancellationToken))!.Value;
        var queue = StorageServices.CreateQueue(database, new SqlRunCloser(database, new LocalImageStore(root)), TimeProvider.System, Options.Create(new QueueOptions()));
        var jobs = new JobQueries(database);
        var payload = new JobSpec { Model = "offline/procedural", Prompt = "a cup", Count = 2, Size = "256x256", Seed = 3, Origin = new JobOrigin { WorkItemId = itemId } };
        var jobId = (await queue.EnqueueAsync(new NewJob(JobKinds.Generate, payload.ToJson()) { WorkItemId = itemId }, cancellationToken)).JobId;

        var job = await Eventually.GetAsync(() => jobs.GetAsync(jobId, cancellationToken), j => j!.Status is JobStatus.Succeeded or JobStatus.Failed,
            TimeSpan.FromSeconds(60), "the job to finish on a worker replica");
        Assert.True(job!.Status == JobStatus.Succeeded, job.ErrorMessage);
        var paths = (await database.ReadAsync(c => Dapper.SqlMapper.QueryAsync<string>(c, "SELECT path FROM run_images"))).ToList();
        Assert.Equal(2, paths.Count);
        Assert.All(paths, p => Assert.True(File.Exists(root.ResolveRelative(p)), p));
    }

    [Fact]
    public async Task PostgresMode_OneResourceMigrates_ThenWebAndWorkerReportTheDatabaseCheck_AndEmitNpgsqlTelemetry()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync();
        using var data = new ImageGen.Testing.TempDirectory("apphost-pg-telemetry");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ImageGen_AppHost>(
            [$"--Parameters:data-dir={data.Path}", "--Parameters:store=postgres", $"--Parameters:postgres-data={data.Combine("pg")}", "--Parameters:worker-replicas=1"],
            (options, _) => options.DisableDashboard = true,
            cancellationToken);
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            // Export to the receiver (instead of the dashboard), quickly.
            builder.CreateResourceBuilder(project)
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Url)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "200")
                .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "500")
                .WithEnvironment("OTEL_TRACES_SAMPLER", "always_on");
        }
        await using var app = await builder.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);

        // The migrate resource runs once and exits 0; web and worker wait for it, and only check the schema.
        var migrated = await app.ResourceNotifications.WaitForResourceAsync("migrate", e => e.Snapshot.ExitCode is not null, cancellationToken)
            .WaitAsync(StartTimeout, cancellationToken);
        Assert.Equal(0, migrated.Snapshot.ExitCode);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("web", cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("worker", cancellationToken).WaitAsync(StartTimeout, cancellationToken);

        foreach (var name in new[] { "web", "worker" })
        {
            using var client = app.CreateHttpClient(name);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var health = System.Text.Json.JsonDocument.Parse(body);
            var checks = health.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetString());
            var database = checks.Keys.Where(k => k.Contains("postgres", StringComparison.OrdinalIgnoreCase) || k.Contains("npgsql", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(database.Count == 1, $"{name}'s /health names no single database check: {body}");
            Assert.Equal("Healthy", checks[database[0]]);
        }

        using (var web = app.CreateHttpClient("web"))
        {
            Assert.Contains("<h1>Dashboard</h1>", await web.GetStringAsync("/", cancellationToken), StringComparison.Ordinal); // a page's queries
        }
        await Eventually.TrueAsync(
            () => new[] { "web", "worker" }.All(service => receiver.Spans.Any(s => s.Service == service && s.Scope == "Npgsql")),
            TimeSpan.FromSeconds(30), "Npgsql spans from the web app and the worker");
        await Eventually.TrueAsync(
            () => new[] { "web", "worker" }.All(service => receiver.Metrics.Any(m => m.Service == service && m.Scope == "Npgsql")),
            TimeSpan.FromSeconds(30), "Npgsql metrics from the web app and the worker");
    }
}
