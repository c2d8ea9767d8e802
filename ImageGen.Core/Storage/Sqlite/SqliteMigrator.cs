using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;

namespace ImageGen.Core.Storage.Sqlite;

/// <summary>
/// Applies the embedded <c>Migrations/NNNN_name.sql</c> scripts in order and records the last one in
/// <c>PRAGMA user_version</c>. Everything happens in one <c>BEGIN IMMEDIATE</c> transaction, so when
/// the web app and the worker start together one applies the scripts and the other waits, then finds nothing to do.
/// </summary>
public static partial class SqliteMigrator
{
    public static IReadOnlyList<Migration> Migrations { get; } = Migrator.Load("ImageGen.Core.Storage.Sqlite.Migrations.");

    public static int LatestVersion => Migrations[^1].Version;

    /// <returns>The number of migrations this call applied (0 when the schema was already current).</returns>
    public static async Task<int> MigrateAsync(SqliteDatabase database, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        database.Root.EnsureCreated();
        var applied = await database.WriteAsync(async (connection, transaction) =>
        {
            var current = await connection.ExecuteScalarAsync<int>("PRAGMA user_version", transaction: transaction);
            if (current > LatestVersion)
            {
                throw new InvalidOperationException(
                    $"The database is at schema version {current}, newer than this build knows ({LatestVersion}). Update ImageGen.");
            }
            var pending = Migrations.Where(m => m.Version > current).ToList();
            foreach (var migration in pending)
            {
                await connection.ExecuteAsync(migration.Sql, transaction: transaction);
            }
            if (pending.Count > 0)
            {
                // PRAGMA takes no parameters; the value is an int we produced.
                await connection.ExecuteAsync(
                    string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {LatestVersion}"), transaction: transaction);
            }
            return pending;
        }, cancellationToken);

        if (logger is not null)
        {
            if (applied.Count > 0)
            {
                LogApplied(logger, applied.Count, applied[^1].Version, database.Root.DatabasePath);
            }
            else
            {
                LogCurrent(logger, LatestVersion, database.Root.DatabasePath);
            }
        }
        return applied.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} migration(s); schema is at version {Version} in {DatabasePath}")]
    private static partial void LogApplied(ILogger logger, int count, int version, string databasePath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema is current at version {Version} in {DatabasePath}")]
    private static partial void LogCurrent(ILogger logger, int version, string databasePath);
}
