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
        PRAGMA journal_mode = WAL;
        PRAGMA foreign_keys = ON;
        PRAGMA synchronous = NORMAL;
        PRAGMA journal_size_limit = 67108864;
        """;

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly string _connectionString;
    private readonly string _pragmas;

    static Database()
    {
        // Columns are snake_case (work_item_id), properties PascalCase (WorkItemId).
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public Database(DataRoot root, StorageOptions? options = null)
    {
        Root = root;
        Options = options ?? new StorageOptions();
        var busyMs = (long)Options.BusyTimeout.TotalMilliseconds;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = root.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy statement for this long on top of busy_timeout: keep the two equal,
            // so "busy" means one known wait (it was 30 s on top of 10 s before).
            DefaultTimeout = (int)Math.Max(1, Math.Ceiling(Options.BusyTimeout.TotalSeconds)),
        }.ToString();
        _pragmas = $"PRAGMA busy_timeout = {busyMs};\n{ConnectionPragmas}"
            + (Options.MaxSizeMegabytes is { } megabytes ? $"\nPRAGMA max_page_count = {megabytes * 1024L * 1024L / 4096L};" : "");
    }

    public StorageOptions Options { get; }

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
            await connection.ExecuteAsync(_pragmas);
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

/// <summary>Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>How long a statement waits for another connection's lock before it fails as busy.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A cap on the database file (SQLite's <c>max_page_count</c> at 4 KiB pages); past it writes fail exactly as on a
    /// full disk. None by default. Useful on a shared drive, and how the tests make a full disk.
    /// </summary>
    public long? MaxSizeMegabytes { get; set; }
}
