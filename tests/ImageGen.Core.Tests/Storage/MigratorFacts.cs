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

        // Every index of docs/ARCHITECTURE.md's table on SQLite: table, columns in order (with DESC where it says so),
        // uniqueness (IndexDocFacts holds the doc's table itself to both backends).
        (string Index, string Table, string Columns, bool Unique)[] required =
        [
            ("ux_brands_slug", "brands", "slug", true),
            ("ux_projects_slug", "projects", "slug", true),
            ("ux_work_items_project_slug", "work_items", "project_id,slug", true),
            ("ix_jobs_status_created", "jobs", "status,created_at", false),
            ("ix_jobs_work_item_created", "jobs", "work_item_id,created_at DESC", false),
            ("ux_jobs_idempotency_key", "jobs", "idempotency_key", true),
            ("ix_jobs_claim", "jobs", "status,run_after,id", false),
            ("ix_jobs_lease", "jobs", "status,lease_expires_at", false),
            ("ix_runs_work_item_created", "runs", "work_item_id,created_at DESC", false),
            ("ix_runs_job", "runs", "job_id", false),
            ("ix_run_images_run_created", "run_images", "run_id,created_at", false),
            ("ix_jobs_status_id", "jobs", "status,id", false),                             // 0002: keyset-paged job lists
            ("ix_jobs_updated", "jobs", "updated_at", false),                              // 0002: the live change marker
            ("ix_work_items_project_id", "work_items", "project_id,id", false),            // 0002: a project's items, paged
            ("ix_comparisons_work_item", "comparisons", "work_item_id,created_at", false), // 0004
            ("ix_finals_work_item", "finals", "work_item_id,created_at DESC", false),      // 0005
            ("ux_brand_revisions_brand_revision", "brand_revisions", "brand_id,revision", true), // 0007
            ("ix_run_images_score", "run_images", "score", false),      // 0009: search sorted by score
            ("ix_run_images_starred", "run_images", "starred", false),  // 0009: search sorted by star
            ("ix_assets_brand", "assets", "brand_id,id", false),                           // 0010
            ("ix_assets_work_item", "assets", "work_item_id,id", false),                   // 0010
            ("ix_assets_sha256", "assets", "sha256", false),                               // 0010
            ("ux_work_item_references", "work_item_references", "work_item_id,asset_id", true), // 0010
            ("ix_work_item_references_asset", "work_item_references", "asset_id", false),  // 0010
            ("ix_run_images_brand_score", "run_images", "brand_score", false),             // 0012: search by brand score
            ("ix_run_images_brand_verdict", "run_images", "brand_verdict,id", false),      // 0012: search by verdict
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

        var indexes = await db.Database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%' ORDER BY name"));
        Assert.Equal(required.Select(r => r.Index).Order(StringComparer.Ordinal), indexes);

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
