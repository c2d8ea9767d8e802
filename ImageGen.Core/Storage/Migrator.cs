using System.Globalization;
using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace ImageGen.Core.Storage;

/// <summary>
/// Applies the embedded <c>Migrations/NNNN_name.sql</c> scripts in order and records the last one in
/// <c>PRAGMA user_version</c>. Everything happens in one <c>BEGIN IMMEDIATE</c> transaction, so when
/// the web app and the worker start together one applies the scripts and the other waits, then finds nothing to do.
/// </summary>
public static partial class Migrator
{
    public static IReadOnlyList<Migration> Migrations { get; } = LoadMigrations();

    public static int LatestVersion => Migrations[^1].Version;

    /// <returns>The number of migrations this call applied (0 when the schema was already current).</returns>
    public static async Task<int> MigrateAsync(Database database, ILogger? logger = null, CancellationToken cancellationToken = default)
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

    private static List<Migration> LoadMigrations()
    {
        var assembly = typeof(Migrator).Assembly;
        const string prefix = "ImageGen.Core.Storage.Migrations.";
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[prefix.Length..^".sql".Length];
                var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
                return new Migration(version, name, ReadResource(assembly, n));
            })
            .OrderBy(m => m.Version)
            .ToList();
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migration versions must run 1..N without gaps; found {migrations[i].Name}.");
            }
        }
        return migrations;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} migration(s); schema is at version {Version} in {DatabasePath}")]
    private static partial void LogApplied(ILogger logger, int count, int version, string databasePath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema is current at version {Version} in {DatabasePath}")]
    private static partial void LogCurrent(ILogger logger, int version, string databasePath);
}

public sealed record Migration(int Version, string Name, string Sql);
