using Dapper;
using ImageGen.Core;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Testing;
using Microsoft.Extensions.Options;

namespace ImageGen.Core.Tests;

/// <summary>A migrated database in a temporary data folder, with a queue on a hand-moved clock.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly TempDirectory _directory = new("core");

    private TestDatabase(QueueOptions options)
    {
        Root = new DataRoot(_directory.Path);
        Database = new Database(Root);
        Options = options;
        Queue = new JobQueue(Database, Time, Microsoft.Extensions.Options.Options.Create(options));
    }

    public DataRoot Root { get; }
    public Database Database { get; }
    public ManualTimeProvider Time { get; } = new();
    public QueueOptions Options { get; }
    public JobQueue Queue { get; }

    public static async Task<TestDatabase> CreateAsync(QueueOptions? options = null)
    {
        var db = new TestDatabase(options ?? new QueueOptions());
        await Migrator.MigrateAsync(db.Database);
        return db;
    }

    public Task<T> ScalarAsync<T>(string sql, object? parameters = null) =>
        Database.ReadAsync(c => c.ExecuteScalarAsync<T>(sql, parameters))!;

    public void Dispose()
    {
        Database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
