using System.Text.RegularExpressions;
using Dapper;
using ImageGen.Core.Storage;
using ImageGen.Core.Storage.Postgres;
using ImageGen.Core.Storage.Sqlite;
using ImageGen.Testing;

namespace ImageGen.Core.Tests.Storage;

/// <summary>
/// docs/ARCHITECTURE.md's index table is what the migrations make: every index a migrated database of either backend has
/// (besides the ones behind primary keys), with its table, columns in order, uniqueness, where clause and method, and the
/// migration of each backend that creates it; and its table of PostgreSQL migrations names each embedded script once, in
/// order, against the SQLite scripts it matches. A new index, a changed one, or a renumbered script fails here until the
/// doc says so.
/// </summary>
public sealed partial class IndexDocFacts
{
    /// <summary>One row of the doc's index table.</summary>
    private sealed record DocIndex(string Name, string Sqlite, string Postgres, int? SqliteMigration, int? PostgresMigration);

    [GeneratedRegex(@"^\| `(?<name>\w+)` \| (?<on>[^|]+) \| (?<sqlite>\d{4}|—) \| (?<pg>\d{4}|—) \| [^|]+ \|$", RegexOptions.Multiline)]
    private static partial Regex IndexRow();

    /// <summary><c>unique</c>? <c>GIN trigram</c>? <c>`table(columns)`</c>, <c>where not null</c>?, then maybe <c>; PostgreSQL `table(columns)`</c>.</summary>
    [GeneratedRegex(@"^(?<unique>unique )?(?<gin>GIN trigram )?`(?<def>\w+\([^)]+\))`(?<partial> where not null)?(?:; PostgreSQL `(?<pg>\w+\([^)]+\))`)?$")]
    private static partial Regex OnCell();

    [GeneratedRegex(@"^\| `(?<pg>\d{4}_\w+)` \| (?<sqlite>\d{4}(?:–\d{4})?|—) \| [^|]+ \|$", RegexOptions.Multiline)]
    private static partial Regex MigrationRow();

    [GeneratedRegex(@"^CREATE (?<unique>UNIQUE )?INDEX (?<name>\w+) ON (?:\w+\.)?(?<table>\w+) USING (?<method>\w+) \((?<columns>.+?)\)(?: WHERE \((?<where>.+)\))?$")]
    private static partial Regex PostgresIndexDef();

    private static string Doc => File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "ARCHITECTURE.md")).ReplaceLineEndings("\n");

    private static IReadOnlyList<DocIndex> DocIndexes()
    {
        var rows = IndexRow().Matches(Doc).Select(m =>
        {
            var on = OnCell().Match(m.Groups["on"].Value.Trim());
            Assert.True(on.Success, $"The index table's 'on' cell of {m.Groups["name"].Value} is not in the table's form: {m.Groups["on"].Value}");
            var prefix = (on.Groups["unique"].Success ? "unique " : "") + (on.Groups["gin"].Success ? "gin " : "");
            var suffix = on.Groups["partial"].Success ? " where not null" : "";
            var both = prefix + on.Groups["def"].Value + suffix;
            var postgres = on.Groups["pg"].Success ? prefix + on.Groups["pg"].Value + suffix : both;
            return new DocIndex(m.Groups["name"].Value, both, postgres, Number(m.Groups["sqlite"].Value), Number(m.Groups["pg"].Value));
        }).ToList();
        Assert.True(rows.Count >= 20, $"docs/ARCHITECTURE.md's index table has {rows.Count} rows in the form the test reads.");
        return rows;
    }

    private static int? Number(string cell) => cell == "—" ? null : int.Parse(cell, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheIndexTable_IsEveryIndexSqliteMigrationsCreate()
    {
        using var db = await TestDatabase.CreateAsync(Backend.Sqlite);
        var names = await db.Database.ReadAsync(c => c.QueryAsync<(string Name, string Table, string Sql)>(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'"));
        var created = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, table, sql) in names)
        {
            var info = await db.Database.ReadAsync(c => c.QueryAsync<(long Seqno, long Cid, string? Name, long Desc, string Coll, long Key)>(
                $"PRAGMA index_xinfo('{name}')"));
            var columns = string.Join(", ", info.Where(i => i.Key == 1).OrderBy(i => i.Seqno).Select(i => i.Desc == 1 ? $"{i.Name} DESC" : i.Name));
            var (unique, partial) = await db.Database.ReadAsync(c => c.QuerySingleAsync<(long Unique, long Partial)>(
                $"SELECT \"unique\", partial FROM pragma_index_list('{table}') WHERE name = @name", new { name }));
            var firstColumn = info.Where(i => i.Key == 1).OrderBy(i => i.Seqno).First().Name;
            var where = partial == 0 ? "" : sql.EndsWith($"WHERE {firstColumn} IS NOT NULL", StringComparison.Ordinal) ? " where not null" : $" where ({sql})";
            created[name] = (unique == 1 ? "unique " : "") + $"{table}({columns})" + where;
        }

        var documented = DocIndexes().Where(i => i.SqliteMigration is not null).ToDictionary(i => i.Name, i => i.Sqlite, StringComparer.Ordinal);
        Assert.Equal(created.OrderBy(p => p.Key), documented.OrderBy(p => p.Key));
        AssertMigrations(SqliteMigrator.Migrations, DocIndexes().ToDictionary(i => i.Name, i => i.SqliteMigration), "SQLite");
    }

    [Fact]
    public async Task TheIndexTable_IsEveryIndexPostgresMigrationsCreate()
    {
        using var db = await TestDatabase.CreateAsync(Backend.Postgres);
        var definitions = await db.Database.ReadAsync(c => c.QueryAsync<string>("""
            SELECT i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)
            """));
        var created = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            var m = PostgresIndexDef().Match(definition);
            Assert.True(m.Success, $"An index definition the test cannot read: {definition}");
            var method = m.Groups["method"].Value switch
            {
                "btree" => "",
                "gin" when m.Groups["columns"].Value.EndsWith(" gin_trgm_ops", StringComparison.Ordinal) => "gin ",
                var other => $"{other} ",
            };
            var columns = m.Groups["columns"].Value.Replace(" gin_trgm_ops", "", StringComparison.Ordinal);
            var where = m.Groups["where"].Value switch
            {
                "" => "",
                var w when w == $"{columns} IS NOT NULL" => " where not null",
                var w => $" where ({w})",
            };
            created[m.Groups["name"].Value] = (m.Groups["unique"].Success ? "unique " : "") + method + $"{m.Groups["table"].Value}({columns})" + where;
        }

        var documented = DocIndexes().Where(i => i.PostgresMigration is not null).ToDictionary(i => i.Name, i => i.Postgres, StringComparer.Ordinal);
        Assert.Equal(created.OrderBy(p => p.Key), documented.OrderBy(p => p.Key));
        AssertMigrations(PostgresDatabase.Migrations, DocIndexes().ToDictionary(i => i.Name, i => i.PostgresMigration), "PostgreSQL");
    }

    /// <summary>Each documented index is created by the migration the doc names for that backend, and by no other (a dash: by none).</summary>
    private static void AssertMigrations(IReadOnlyList<Migration> migrations, Dictionary<string, int?> documented, string backend)
    {
        foreach (var (name, number) in documented)
        {
            var creators = migrations.Where(m => Regex.IsMatch(m.Sql, $@"CREATE (UNIQUE )?INDEX {name}\b")).Select(m => (int?)m.Version).ToList();
            Assert.True(creators.SequenceEqual(number is null ? [] : [number]),
                $"{name}: the doc says {backend} {number?.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) ?? "—"}, the scripts that create it are [{string.Join(", ", creators)}]");
        }
    }

    [Fact]
    public void ThePostgresMigrationTable_NamesEveryScript_AndCoversEverySqliteOneOnce()
    {
        var rows = MigrationRow().Matches(Doc).ToList();

        Assert.Equal(PostgresDatabase.Migrations.Select(m => m.Name), rows.Select(r => r.Groups["pg"].Value));
        var sqlite = rows.Select(r => r.Groups["sqlite"].Value).Where(c => c != "—").SelectMany(c =>
        {
            var ends = c.Split('–').Select(n => int.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return Enumerable.Range(ends[0], ends[^1] - ends[0] + 1);
        });
        Assert.Equal(SqliteMigrator.Migrations.Select(m => m.Version), sqlite);
    }

    [Fact]
    public async Task TheFtsTablesTheDocNames_AreSqlitesVirtualTables()
    {
        using var db = await TestDatabase.CreateAsync(Backend.Sqlite);
        var tables = await db.Database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"));

        var paragraph = Doc.Split("\n\n").Single(p => p.StartsWith("SQLite's prompt search reads FTS5 tables", StringComparison.Ordinal));
        var named = Regex.Matches(paragraph, @"`(\w+_fts)`").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);
        Assert.Equal(tables, named);
    }
}
