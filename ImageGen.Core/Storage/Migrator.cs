using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ImageGen.Core.Storage;

/// <summary>Brings any backend's schema up to date: each backend keeps its own numbered scripts (Storage/*/Migrations).</summary>
public static class Migrator
{
    /// <returns>The number of migrations this call applied (0 when the schema was already current).</returns>
    public static Task<int> MigrateAsync(Database database, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        database.MigrateAsync(logger, cancellationToken);

    /// <summary>The embedded <c>NNNN_name.sql</c> scripts under <paramref name="prefix"/>, in order, checked to run 1..N.</summary>
    internal static IReadOnlyList<Migration> Load(string prefix)
    {
        var assembly = typeof(Migrator).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[prefix.Length..^".sql".Length];
                var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return new Migration(version, name, reader.ReadToEnd());
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
}

/// <summary>One numbered schema script of a backend.</summary>
public sealed record Migration(int Version, string Name, string Sql);
