using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ImageGen.Core.Storage;

/// <summary>
/// Opens SQLite connections with the pragmas every connection needs, and funnels this process's
/// write transactions through one gate so they queue in-process instead of contending for the file lock.
/// </summary>
public sealed class Database : IDisposable
{
    // busy_timeout comes first so that switching to WAL waits for other processes instead of failing.
    private const string ConnectionPragmas = """
        PRAGMA busy_timeout = 10000;
        PRAGMA journal_mode = WAL;
        PRAGMA foreign_keys = ON;
        PRAGMA synchronous = NORMAL;
        PRAGMA journal_size_limit = 67108864;
        """;

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly string _connectionString;

    static Database()
    {
        // Columns are snake_case (work_item_id), properties PascalCase (WorkItemId).
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public Database(DataRoot root)
    {
        Root = root;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = root.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public DataRoot Root { get; }

    /// <summary>When set, every connection opened from now on reports its statements to it (tests, measurements).</summary>
    public StatementCounter? StatementCounter { get; set; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            StatementCounter?.Attach(connection);
            await connection.ExecuteAsync(ConnectionPragmas);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in a <c>BEGIN IMMEDIATE</c> transaction, committed when it returns.</summary>
    public async Task<T> WriteAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            // deferred: false is BEGIN IMMEDIATE: the write lock is taken up front, so a read-then-write
            // transaction can never fail with SQLITE_BUSY halfway through.
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public Task WriteAsync(Func<IDbConnection, IDbTransaction, Task> work, CancellationToken cancellationToken = default) =>
        WriteAsync<bool>(async (c, t) => { await work(c, t); return true; }, cancellationToken);

    /// <summary>Runs a read on a short-lived connection, so no reader stays open across slow work.</summary>
    public async Task<T> ReadAsync<T>(Func<IDbConnection, Task<T>> work, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await work(connection);
    }

    public void Dispose() => _writeGate.Dispose();
}
