using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImageGen.Core.Storage.Postgres;

/// <summary>
/// PostgreSQL, for a team or several workers: one server that every web app and worker replica connects to. Writes are
/// ordinary READ COMMITTED transactions (the queue's claim takes row locks with SKIP LOCKED, see
/// <see cref="PostgresJobQueue"/>); a lock held longer than <see cref="StorageOptions.BusyTimeout"/> fails as busy.
/// Images stay in the data folder, which every process must see (docs/ARCHITECTURE.md, "Several machines").
/// </summary>
public sealed partial class PostgresDatabase : Database
{
    // Any constant: the key of the advisory lock under which one process at a time migrates.
    private const long MigrationLockKey = 0x1A6E_6E00;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly NpgsqlConnectionStringBuilder _settings;

    /// <param name="dataSource">
    /// The process's registered data source (the Aspire Npgsql integration's, which adds its health check, traces and
    /// metrics), built from <see cref="ConnectionStringFor"/>; null: this database makes its own, as the CLI and the tests do.
    /// </param>
    public PostgresDatabase(DataRoot root, string connectionString, StorageOptions? options = null, NpgsqlDataSource? dataSource = null) : base(root, options)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionStringFor(connectionString, Options));
        Describe = $"postgres://{builder.Host}:{builder.Port}/{builder.Database}";
        _settings = builder;
        _ownsDataSource = dataSource is null;
        _dataSource = dataSource ?? NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>
    /// <paramref name="connectionString"/> as every connection of this store opens it: waiting on another transaction's lock
    /// longer than the busy timeout fails as busy, as SQLite's busy_timeout does. An ArgumentException when it names no database.
    /// </summary>
    public static string ConnectionStringFor(string connectionString, StorageOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.Database))
        {
            throw new ArgumentException("The PostgreSQL connection string names no database (Database=…).", nameof(connectionString));
        }
        var lockTimeout = $"-c lock_timeout={((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}";
        if (builder.Options?.Contains(lockTimeout, StringComparison.Ordinal) != true)
        {
            builder.Options = string.Join(' ', new[] { builder.Options, lockTimeout }.Where(o => !string.IsNullOrWhiteSpace(o)));
        }
        return builder.ConnectionString;
    }

    public override string Provider => StorageProviders.Postgres;

    /// <summary>The channel migration 0006's trigger notifies on every statement that changes jobs.</summary>
    public const string ChangesChannel = "imagegen_changes";

    /// <summary>How long a listening connection may hear nothing before it is asked a <c>SELECT 1</c>: a connection that
    /// died without a word (a dropped network, a killed server) never wakes a wait, but fails that query.</summary>
    public static readonly TimeSpan ListenProbeInterval = TimeSpan.FromSeconds(30);

    /// <summary>How long a listener waits before listening again after its connection failed.</summary>
    public static readonly TimeSpan ListenRetryDelay = TimeSpan.FromSeconds(2);

    public override bool PushesChanges => true;

    public override Task ListenForChangesAsync(Action changed, Action<Exception> failed, CancellationToken cancellationToken) =>
        ListenAsync(ChangesChannel, changed, failed, cancellationToken);

    /// <summary>
    /// LISTENs on <paramref name="channel"/> on a connection of its own and calls <paramref name="notified"/> for each
    /// notification, and once each time listening starts (for anything sent while nobody listened). When the connection
    /// fails it calls <paramref name="failed"/> and listens again after <see cref="ListenRetryDelay"/>; it returns only
    /// when <paramref name="cancellationToken"/> is canceled.
    /// </summary>
    public async Task ListenAsync(string channel, Action notified, Action<Exception> failed, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, _) => notified();
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }
                notified();
                while (true)
                {
                    if (!await connection.WaitAsync(ListenProbeInterval, cancellationToken))
                    {
                        await using var probe = new NpgsqlCommand("SELECT 1", connection);
                        await probe.ExecuteScalarAsync(cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or IOException or TimeoutException)
            {
                failed(e);
                await Task.Delay(ListenRetryDelay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public override string Describe { get; }

    public override SqlDialect Dialect { get; } = new PostgresDialect();

    public static IReadOnlyList<Migration> Migrations { get; } = Migrator.Load("ImageGen.Core.Storage.Postgres.Migrations.");

    public override int LatestSchemaVersion => Migrations[^1].Version;

    public override async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await ReadAsync(c => c.ExecuteScalarAsync<int?>("SELECT max(version) FROM schema_version"), cancellationToken) ?? 0;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidCatalogName)
        {
            return 0;
        }
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task<T> WriteCoreAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public override StorageTrouble? Classify(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.DiskFull or PostgresErrorCodes.InsufficientResources or PostgresErrorCodes.OutOfMemory } => StorageTrouble.Full,
        PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.QueryCanceled } => StorageTrouble.Busy,
        PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.TooManyConnections } => StorageTrouble.Unavailable,
        PostgresException => null,
        NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException } => StorageTrouble.Unavailable,
        System.Net.Sockets.SocketException => StorageTrouble.Unavailable,
        _ when exception.InnerException is { } inner => Classify(inner),
        _ => StorageTrouble.From(exception),
    };

    /// <summary>
    /// Applies the embedded <c>Storage/Postgres/Migrations</c> scripts in one transaction under an advisory lock, recording the
    /// version in <c>schema_version</c>: when several replicas start together one migrates, and the others wait and find
    /// nothing to do.
    /// </summary>
    public override async Task<int> MigrateAsync(ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        Root.EnsureCreated();
        await EnsureDatabaseExistsAsync(cancellationToken);
        var applied = await WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = MigrationLockKey }, t);
            await c.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)", transaction: t);
            var current = await c.ExecuteScalarAsync<int?>("SELECT max(version) FROM schema_version", transaction: t) ?? 0;
            if (current > LatestSchemaVersion)
            {
                throw new InvalidOperationException(
                    $"The database is at schema version {current}, newer than this build knows ({LatestSchemaVersion}). Update ImageGen.");
            }
            var pending = Migrations.Where(m => m.Version > current).ToList();
            foreach (var migration in pending)
            {
                await c.ExecuteAsync(migration.Sql, transaction: t);
            }
            if (pending.Count > 0)
            {
                await c.ExecuteAsync("DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (@version)", new { version = LatestSchemaVersion }, t);
            }
            return pending;
        }, cancellationToken);
        if (logger is not null)
        {
            LogMigrated(logger, applied.Count, LatestSchemaVersion, Describe);
        }
        return applied.Count;
    }

    /// <summary>
    /// Creates the database the connection string names when the server does not have it yet (a server just made by
    /// <c>initdb</c>, as the AppHost's is). Two processes racing to create it both succeed.
    /// </summary>
    private async Task EnsureDatabaseExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var probe = await _dataSource.OpenConnectionAsync(cancellationToken);
            return;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
        }
        var maintenance = new NpgsqlConnectionStringBuilder(_settings.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        try
        {
            // CREATE DATABASE takes no parameters: quote the name as an identifier.
            await connection.ExecuteAsync($"CREATE DATABASE \"{_settings.Database!.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
        }
    }

    public override void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose(); // a registered one is the container's to dispose
        }
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} migration(s); schema is at version {Version} in {Database}")]
    private static partial void LogMigrated(ILogger logger, int count, int version, string database);
}

internal sealed class PostgresDialect : SqlDialect
{
    public override string OrderIgnoringCase(string column) => $"lower({column})";

    public override string LikeIgnoringCase => "ILIKE";

    public override string RunsWithText(string andWhere) => $@"SELECT r.id FROM runs r WHERE r.prompt ILIKE @like ESCAPE '\'{andWhere} LIMIT @DenseRuns";

    public override string RunsOfWorkItemsWithText(string andWhere) =>
        $@"SELECT r.id FROM work_items w JOIN runs r ON r.work_item_id = w.id WHERE (w.name ILIKE @like ESCAPE '\' OR w.prompt ILIKE @like ESCAPE '\'){andWhere} LIMIT @DenseRuns";

    public override string WorkItemsWithText(string select) =>
        $@"SELECT {select} FROM work_items w JOIN projects p ON p.id = w.project_id WHERE (w.name ILIKE @like ESCAPE '\' OR w.prompt ILIKE @like ESCAPE '\') ORDER BY w.id DESC LIMIT 20";

    public override string JsonText(string column, string key) => $"({column}::jsonb ->> '{key}')";

    public override string FixedOrderJoin => "JOIN";

    public override string DescendingNullsLast(string column) => $"{column} DESC NULLS LAST";

    public override string IsAnyOf(string column, string parameter) => $"{column} = ANY({parameter})";

    public override string? ResetIdentitySql(string table) =>
        $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)";
}
