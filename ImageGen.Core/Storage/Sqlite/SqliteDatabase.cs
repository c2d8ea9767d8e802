using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ImageGen.Core.Storage.Sqlite;

/// <summary>
/// SQLite in the data folder (<c>imagegen.db</c>): opens connections with the pragmas every connection needs, and
/// funnels this process's write transactions through one gate so they queue in-process instead of contending for the
/// file lock. Several processes on one machine share the file; SQLite's single writer is the queue's lock.
/// </summary>
public sealed class SqliteDatabase : Database
{
    // busy_timeout comes first so that switching to WAL waits for other processes instead of failing.
    private const string ConnectionPragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA foreign_keys = ON;
        PRAGMA synchronous = NORMAL;
        PRAGMA journal_size_limit = 67108864;
        """;

    private const int SqliteBusy = 5, SqliteLocked = 6, SqliteFull = 13;

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly string _connectionString;
    private readonly string _pragmas;

    public SqliteDatabase(DataRoot root, StorageOptions? options = null) : base(root, options)
    {
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

    // Native connections the pragmas were run on; weak, so a connection the pool closes is forgotten with it.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> _prepared = new();
    private static readonly object Prepared = new();

    public override string Provider => StorageProviders.Sqlite;

    public override string Describe => Root.DatabasePath;

    public override SqlDialect Dialect { get; } = new SqliteDialect();

    public override int LatestSchemaVersion => SqliteMigrator.LatestVersion;

    /// <summary>When set, every connection opened from now on reports its statements to it (tests, measurements).</summary>
    public StatementCounter? StatementCounter { get; set; }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            StatementCounter?.Attach(connection);
            // The pragmas are state of the SQLite connection, which the pool keeps open and hands out again: set them
            // once per native connection, not on every open (they were 5 of a page's every 6 statements).
            if (!_prepared.TryGetValue(connection.Handle!, out _))
            {
                await connection.ExecuteAsync(_pragmas);
                _prepared.AddOrUpdate(connection.Handle!, Prepared);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in a <c>BEGIN IMMEDIATE</c> transaction, committed when it returns.</summary>
    protected override async Task<T> WriteCoreAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = (SqliteConnection)await OpenAsync(cancellationToken);
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

    public override StorageTrouble? Classify(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SqliteFull } => StorageTrouble.Full,
        SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } => StorageTrouble.Busy,
        _ when exception.InnerException is { } inner => Classify(inner),
        _ => StorageTrouble.From(exception),
    };

    public override Task<int> MigrateAsync(ILogger? logger = null, CancellationToken cancellationToken = default) =>
        SqliteMigrator.MigrateAsync(this, logger, cancellationToken);

    public override Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(c => c.ExecuteScalarAsync<int>("PRAGMA user_version"), cancellationToken);

    public override void Dispose()
    {
        _writeGate.Dispose();
        base.Dispose();
    }
}

internal sealed class SqliteDialect : SqlDialect
{
    public override string OrderIgnoringCase(string column) => $"{column} COLLATE NOCASE";

    public override string LikeIgnoringCase => "LIKE";

    public override string RunsWithText(string andWhere) =>
        $"SELECT r.id FROM runs_fts CROSS JOIN runs r ON r.id = runs_fts.rowid WHERE runs_fts MATCH @fts{andWhere} LIMIT @DenseRuns";

    public override string RunsOfWorkItemsWithText(string andWhere) =>
        $"SELECT r.id FROM work_items_fts CROSS JOIN runs r ON r.work_item_id = work_items_fts.rowid WHERE work_items_fts MATCH @fts{andWhere} LIMIT @DenseRuns";

    public override string WorkItemsWithText(string select) =>
        $"SELECT {select} FROM work_items_fts CROSS JOIN work_items w ON w.id = work_items_fts.rowid JOIN projects p ON p.id = w.project_id " +
        "WHERE work_items_fts MATCH @fts ORDER BY work_items_fts.rowid DESC LIMIT 20";

    public override string JsonText(string column, string key) => $"json_extract({column}, '$.{key}')";

    public override string FixedOrderJoin => "CROSS JOIN";

    public override string DescendingNullsLast(string column) => $"{column} DESC";

    public override string IsAnyOf(string column, string parameter) => $"{column} IN {parameter}";
}
