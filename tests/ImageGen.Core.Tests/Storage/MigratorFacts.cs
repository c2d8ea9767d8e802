using CliWrap;
using CliWrap.Buffered;
using Dapper;
using ImageGen.Core.Storage;
using ImageGen.Core.Storage.Sqlite;
using ImageGen.Testing;

namespace ImageGen.Core.Tests.Storage;

public sealed class MigratorFacts
{
    [Fact]
    public async Task Migrate_FreshDatabase_CreatesEveryTableAndIndex()
    {
        using var db = await TestDatabase.CreateAsync();

        var tables = (await db.Database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))).ToHashSet();
        Assert.Superset(new HashSet<string> { "brands", "projects", "work_items", "jobs", "runs", "run_images" }, tables);

        // Each index the seed requires: table, columns in order (with DESC where it says so), uniqueness.
        (string Index, string Table, string Columns, bool Unique)[] required =
        [
            ("ux_brands_slug", "brands", "slug", true),
            ("ux_projects_slug", "projects", "slug", true),
            ("ux_work_items_project_slug", "work_items", "project_id,slug", true),
            ("ix_jobs_status_created", "jobs", "status,created_at", false),
            ("ix_jobs_work_item_created", "jobs", "work_item_id,created_at DESC", false),
            ("ix_runs_work_item_created", "runs", "work_item_id,created_at DESC", false),
            ("ix_run_images_run_created", "run_images", "run_id,created_at", false),
            ("ix_run_images_score", "run_images", "score", false),      // 0009: search sorted by score
            ("ix_run_images_starred", "run_images", "starred", false),  // 0009: search sorted by star
            ("ix_runs_model", "runs", "model", false),                  // 0014: search filtered by model
        ];
        foreach (var (index, table, columns, unique) in required)
        {
            var actualTable = await db.ScalarAsync<string>("SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = @index", new { index });
            Assert.Equal(table, actualTable);
            var info = await db.Database.ReadAsync(c => c.QueryAsync<(long Seqno, long Cid, string? Name, long Desc, string Coll, long Key)>(
                $"PRAGMA index_xinfo('{index}')"));
            var actualColumns = string.Join(",", info.Where(i => i.Key == 1).OrderBy(i => i.Seqno).Select(i => i.Desc == 1 ? $"{i.Name} DESC" : i.Name));
            Assert.Equal(columns, actualColumns);
            var isUnique = await db.ScalarAsync<long>($"SELECT \"unique\" FROM pragma_index_list('{table}') WHERE name = @index", new { index });
            Assert.Equal(unique, isUnique == 1);
        }

        Assert.Equal(SqliteMigrator.LatestVersion, await db.ScalarAsync<int>("PRAGMA user_version"));
        Assert.Equal("wal", await db.ScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1, await db.ScalarAsync<int>("PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task Migrate_Twice_SecondRunIsANoOp()
    {
        using var db = await TestDatabase.CreateAsync();
        var schemaBefore = await SchemaAsync(db.Database);

        var applied = await Migrator.MigrateAsync(db.Database);

        Assert.Equal(0, applied);
        Assert.Equal(schemaBefore, await SchemaAsync(db.Database));
    }

    [Fact]
    public async Task Migrate_TwoProcessesAtOnce_BothSucceedAndTheSchemaIsAppliedOnce()
    {
        using var directory = new TempDirectory("migrate");
        var claimer = RepoPaths.ProjectDll("ImageGen.QueueClaimer", folder: Path.Combine(RepoPaths.Root, "tests", "ImageGen.QueueClaimer"));

        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            Cli.Wrap(RepoPaths.DotnetHost).WithArguments([claimer, "migrate", directory.Path])
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(TestContext.Current.CancellationToken).Task));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.StandardError));
        var appliedCounts = runs.Select(r => int.Parse(r.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
        Assert.Equal([0, SqliteMigrator.Migrations.Count], appliedCounts);
        using var database = new SqliteDatabase(new DataRoot(directory.Path));
        Assert.Equal(SqliteMigrator.LatestVersion, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("PRAGMA user_version")));
        Assert.Equal(1, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM sqlite_master WHERE name = 'jobs'")));
    }

    private static async Task<string> SchemaAsync(Database database) =>
        string.Join("\n", await database.ReadAsync(c => c.QueryAsync<string>("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")));
}
