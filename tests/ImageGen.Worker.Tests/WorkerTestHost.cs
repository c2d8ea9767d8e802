using Dapper;
using ImageGen.Core;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Core.Files;
using ImageGen.Core.Storage;
using ImageGen.Core.Storage.Postgres;
using ImageGen.Core.Storage.Sql;
using ImageGen.Core.Storage.Sqlite;
using ImageGen.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using ImageGen.Core.Spec;

namespace ImageGen.Worker.Tests;

/// <summary>The worker host in-process on a temporary data folder, with short leases and polls so tests run fast.</summary>
public sealed class WorkerTestHost : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("worker");
    private WebApplicationFactory<Program>? _factory;

    public WorkerTestHost() : this(null)
    {
    }

    private WorkerTestHost(string? postgresConnectionString)
    {
        Root = new DataRoot(_directory.Path);
        Database = postgresConnectionString is null ? new SqliteDatabase(Root) : new PostgresDatabase(Root, postgresConnectionString);
        Queue = StorageServices.CreateQueue(Database, new SqlRunCloser(Database, new LocalImageStore(Root)), TimeProvider.System, Options.Create(new QueueOptions()));
        Jobs = new JobQueries(Database);
        if (postgresConnectionString is not null)
        {
            StoreSettings["Storage:Provider"] = StorageProviders.Postgres;
            StoreSettings["Storage:ConnectionString"] = postgresConnectionString;
        }
    }

    /// <summary>A host whose store is a fresh database on the tests' PostgreSQL server, or SQLite in its folder.</summary>
    public static async Task<WorkerTestHost> CreateAsync(bool onPostgres) =>
        onPostgres ? new WorkerTestHost(await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("worker")) : new WorkerTestHost();

    /// <summary>What a worker process needs to use this host's store (nothing for SQLite in the data folder).</summary>
    public Dictionary<string, string> StoreSettings { get; } = [];

    public DataRoot Root { get; }
    public Database Database { get; }
    public IJobQueue Queue { get; }
    public JobQueries Jobs { get; }
    public string ScratchDirectory => _directory.Combine("scratch");

    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Queue:LeaseDuration"] = "00:00:05",
        ["Queue:RetryBaseDelay"] = "00:00:00.2",
        ["Worker:RenewInterval"] = "00:00:00.2",
        ["Worker:MaxPollInterval"] = "00:00:00.1",
        ["Worker:ShutdownGrace"] = "00:00:05",
        [WorkerAccess.ConfigKey] = Key,
    };

    /// <summary>The worker key this host's worker is given; <see cref="Client"/> sends it.</summary>
    public const string Key = "test-worker-key";

    /// <summary>A client that sends the worker key, as the web app and the dashboard commands do.</summary>
    public HttpClient Client
    {
        get
        {
            var client = Factory.CreateClient();
            client.DefaultRequestHeaders.Add(WorkerAccess.HeaderName, Key);
            return client;
        }
    }

    /// <summary>A client that sends no key.</summary>
    public HttpClient AnonymousClient => Factory.CreateClient();

    /// <summary>Changes to the worker's services (a decorator that watches a port), applied after its own.</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? Services { get; set; }

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Call StartAsync first.");

    public async Task StartAsync()
    {
        await Migrator.MigrateAsync(Database);
        Settings[DataRoot.ConfigKey] = Root.Path;
        foreach (var (key, value) in StoreSettings)
        {
            Settings[key] = value;
        }
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (key, value) in Settings)
            {
                b.UseSetting(key, value);
            }
            if (Services is { } services)
            {
                b.ConfigureServices(services);
            }
        });
        _ = _factory.Server; // starts the host, and with it the poller
    }

    public async Task StopAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
            _factory = null;
        }
    }

    /// <summary>Queues a generate job for project "demo", work item "hero".</summary>
    public async Task<long> EnqueueAsync(JobSpec? payload = null, int maxAttempts = 3)
    {
        var workItemId = await Database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("""
                INSERT INTO projects (id, name, slug, created_at, updated_at) VALUES (1, 'Demo', 'demo', 0, 0) ON CONFLICT DO NOTHING;
                INSERT INTO work_items (id, project_id, name, slug, type, prompt, created_at, updated_at)
                VALUES (1, 1, 'Hero', 'hero', 'hero', 'a hero', 0, 0) ON CONFLICT DO NOTHING;
                """, transaction: t);
            return 1L;
        });
        payload ??= new JobSpec { Model = "offline/procedural", Prompt = "a hero banner #1144aa #ffcc00", Count = 2, Size = "256x128", Seed = 5 };
        payload = payload with { Origin = (payload.Origin ?? new JobOrigin()) with { WorkItemId = workItemId } };
        var result = await Queue.EnqueueAsync(new NewJob(JobKinds.Generate, payload.ToJson()) { WorkItemId = workItemId, MaxAttempts = maxAttempts });
        return result.JobId;
    }

    public Task<JobRecord> WaitForStatusAsync(long jobId, string status, TimeSpan? timeout = null) =>
        Eventually.GetAsync(async () => (await Jobs.GetAsync(jobId))!, j => j.Status == status, timeout ?? TimeSpan.FromSeconds(30), $"job {jobId} to be {status}");

    public Task<T> ReadAsync<T>(Func<System.Data.IDbConnection, Task<T>> read) => Database.ReadAsync(read);

    public IEnumerable<string> FilesUnder(string relative) =>
        Directory.Exists(Path.Combine(Root.Path, relative))
            ? Directory.EnumerateFiles(Path.Combine(Root.Path, relative), "*", SearchOption.AllDirectories)
            : [];

    /// <summary>
    /// The job's temporary folder is removed just after its outcome is recorded (in the handler's finally), so a
    /// test that has just seen the outcome waits a moment for it.
    /// </summary>
    public Task WaitForEmptyTempAsync() =>
        Eventually.TrueAsync(() => !FilesUnder("tmp").Any(), TimeSpan.FromSeconds(10), "the job's temporary folder to be removed");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
