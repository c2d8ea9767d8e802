using Dapper;
using ImageGen.Core;
using ImageGen.Core.Files;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Core.Storage.Postgres;
using ImageGen.Core.Storage.Sql;
using ImageGen.Core.Storage.Sqlite;
using ImageGen.Testing;
using Microsoft.Extensions.Options;

namespace ImageGen.Core.Tests;

/// <summary>The two storage backends every contract fact runs against.</summary>
public enum Backend
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A migrated database of either backend (a SQLite file in a temporary data folder, or a fresh database on the tests'
/// PostgreSQL server), with the queue and run recorder on a hand-moved clock.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly TempDirectory _directory = new("core");

    private TestDatabase(Backend backend, QueueOptions options, string? connectionString)
    {
        Backend = backend;
        Root = new DataRoot(_directory.Path);
        Images = new LocalImageStore(Root);
        Options = options;
        var queueOptions = Microsoft.Extensions.Options.Options.Create(options);
        if (connectionString is null)
        {
            var sqlite = new SqliteDatabase(Root);
            Database = sqlite;
            RunCloser = new SqlRunCloser(sqlite, Images);
            Queue = new SqliteJobQueue(sqlite, RunCloser, Time, queueOptions);
        }
        else
        {
            var postgres = new PostgresDatabase(Root, connectionString);
            Database = postgres;
            RunCloser = new SqlRunCloser(postgres, Images);
            Queue = new PostgresJobQueue(postgres, RunCloser, Time, queueOptions);
        }
        Runs = new SqlRunRecorder(Database, Queue, RunCloser, Time);
        Jobs = new JobQueries(Database);
        ConnectionString = connectionString;
    }

    public Backend Backend { get; }
    public DataRoot Root { get; }
    public LocalImageStore Images { get; }
    public Database Database { get; }
    public ManualTimeProvider Time { get; } = new();
    public QueueOptions Options { get; }
    public SqlRunCloser RunCloser { get; }
    public SqlJobQueue Queue { get; }
    public SqlRunRecorder Runs { get; }

    /// <summary>The jobs' reads (a job's row, the queue snapshot, the running claims): what the facts check the queue by.</summary>
    public JobQueries Jobs { get; }

    /// <summary>PostgreSQL's connection string; null on SQLite (whose database is the data folder's file).</summary>
    public string? ConnectionString { get; }

    /// <summary>How a child process (the queue claimer) names this store: <c>sqlite:&lt;folder&gt;</c> or <c>postgres:&lt;connection&gt;</c>.</summary>
    public string StoreArgument => ConnectionString is null ? $"sqlite:{Root.Path}" : $"postgres:{ConnectionString}";

    public static async Task<TestDatabase> CreateAsync(QueueOptions? options = null, Backend backend = Backend.Sqlite)
    {
        var connectionString = backend == Backend.Postgres
            ? await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("core")
            : null;
        var db = new TestDatabase(backend, options ?? new QueueOptions(), connectionString);
        await Migrator.MigrateAsync(db.Database);
        return db;
    }

    public static Task<TestDatabase> CreateAsync(Backend backend) => CreateAsync(null, backend);

    public Task<T> ScalarAsync<T>(string sql, object? parameters = null) =>
        Database.ReadAsync(c => c.ExecuteScalarAsync<T>(sql, parameters))!;

    public void Dispose()
    {
        Database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
