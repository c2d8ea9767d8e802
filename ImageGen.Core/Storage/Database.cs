using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;

namespace ImageGen.Core.Storage;

/// <summary>
/// One relational database behind ImageGen: how to open a connection, how to run a read and a write transaction, what
/// its errors mean, how to bring its schema up to date, and the few places its SQL differs (<see cref="Dialect"/>).
/// Implemented once per backend, in <c>Storage/Sqlite/</c> and <c>Storage/Postgres/</c>; everything above it in Core talks to
/// this class, and the web app and the worker only see the ports built on it (<see cref="Queue.IJobQueue"/>,
/// <see cref="Generation.IRunRecorder"/>) and the read models.
/// </summary>
public abstract class Database : IDisposable
{
    static Database()
    {
        // Columns are snake_case (work_item_id), properties PascalCase (WorkItemId).
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    protected Database(DataRoot root, StorageOptions? options)
    {
        Root = root;
        Options = options ?? new StorageOptions();
    }

    public StorageOptions Options { get; }

    public DataRoot Root { get; }

    /// <summary>Which backend this is: <c>sqlite</c> or <c>postgres</c> (what <c>Storage:Provider</c> says).</summary>
    public abstract string Provider { get; }

    /// <summary>Where the data lives, for logs and errors: a file path, or a host and database (never a password).</summary>
    public abstract string Describe { get; }

    public abstract SqlDialect Dialect { get; }

    /// <summary>Opens a connection with whatever every connection of this backend needs.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, committed when it returns. A busy or full database surfaces as
    /// <see cref="StorageException"/>, whatever the backend.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        try
        {
            return await WriteCoreAsync(work, cancellationToken);
        }
        catch (Exception e) when (e is not StorageException && Classify(e) is { } trouble)
        {
            throw new StorageException(trouble, e);
        }
    }

    public Task WriteAsync(Func<IDbConnection, IDbTransaction, Task> work, CancellationToken cancellationToken = default) =>
        WriteAsync<bool>(async (c, t) => { await work(c, t); return true; }, cancellationToken);

    /// <summary>Runs a read on a short-lived connection, so no reader stays open across slow work.</summary>
    public async Task<T> ReadAsync<T>(Func<IDbConnection, Task<T>> work, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await work(connection);
        }
        catch (Exception e) when (e is not StorageException && Classify(e) is { } trouble)
        {
            throw new StorageException(trouble, e);
        }
    }

    /// <summary>The transaction itself: how this backend begins it (and, for SQLite, queues writers in-process).</summary>
    protected abstract Task<T> WriteCoreAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>What a backend error means to a person, when it is storage trouble (full, busy); null for anything else.</summary>
    public abstract StorageTrouble? Classify(Exception exception);

    /// <summary>Brings the schema up to date, safely when several processes start at once.</summary>
    /// <returns>How many migrations this call applied (0 when the schema was already current).</returns>
    public abstract Task<int> MigrateAsync(ILogger? logger = null, CancellationToken cancellationToken = default);

    /// <summary>The schema version this build brings a database to.</summary>
    public abstract int LatestSchemaVersion { get; }

    /// <summary>The schema version the database is at now (0 when it was never migrated).</summary>
    public abstract Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>True when the store tells of job changes itself (<see cref="ListenForChangesAsync"/>), so nobody need poll.</summary>
    public virtual bool PushesChanges => false;

    /// <summary>
    /// Calls <paramref name="changed"/> after each committed statement that changes jobs (the table the change marker
    /// reads), and once each time listening starts, for what came before. A failed connection is
    /// reported to <paramref name="failed"/> and listened on again. Returns when <paramref name="cancellationToken"/> is
    /// canceled. Only where <see cref="PushesChanges"/>; elsewhere read the change marker.
    /// </summary>
    public virtual Task ListenForChangesAsync(Action changed, Action<Exception> failed, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{Provider} does not push changes; read the change marker instead.");

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary><c>sqlite</c> (the default: one file in the data folder) or <c>postgres</c> (needs <see cref="ConnectionString"/>).</summary>
    public string Provider { get; set; } = StorageProviders.Sqlite;

    /// <summary>
    /// The PostgreSQL connection string (Npgsql's form: <c>Host=…;Port=…;Username=…;Database=…</c>). Also read from
    /// <c>ConnectionStrings:imagegen</c>, which is where the AppHost puts it.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long a statement waits for another connection's lock before it fails as busy.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A cap on the SQLite database file (SQLite's <c>max_page_count</c> at 4 KiB pages); past it writes fail exactly as on a
    /// full disk. None by default. Useful on a shared drive, and how the tests make a full disk. SQLite only.
    /// </summary>
    public long? MaxSizeMegabytes { get; set; }

    /// <summary>
    /// Who brings the schema up to date (<see cref="StorageMigrations"/>): <c>at-start</c> (the default: every process
    /// migrates before it starts, as standalone runs and tests do), <c>only</c> (migrate, then exit: the AppHost's
    /// <c>migrate</c> resource), or <c>done</c> (another process did, and this one waited for it: check the schema is
    /// current, and start).
    /// </summary>
    public string Migrate { get; set; } = StorageMigrations.AtStart;
}

/// <summary>The values of <see cref="StorageOptions.Migrate"/>.</summary>
public static class StorageMigrations
{
    public const string AtStart = "at-start";
    public const string Only = "only";
    public const string Done = "done";
}

public static class StorageProviders
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
}
