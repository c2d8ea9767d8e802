using System.Net;
using Dapper;
using ImageGen.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ImageGen.Web.Tests;

/// <summary>A full disk and a database held by another program, for real: the form says so, and nothing is saved.</summary>
public sealed class StorageTroubleFacts
{
    private static Dictionary<string, string> GenerateFields(string page) => new()
    {
        ["Generate.Models"] = "offline/procedural", ["Generate.Format"] = "png", ["Generate.Count"] = "2",
        ["Generate.IdempotencyKey"] = Forms.IdempotencyKey(page),
    };

    [Fact]
    public async Task Generate_OnAFullDatabase_Answers503TheDiskIsFull_AndSavesNothing()
    {
        await using var web = new WebTestHost("http://127.0.0.1:9", new Dictionary<string, string> { ["Storage:MaxSizeMegabytes"] = "1" });
        using var client = web.CreateClient();
        await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var database = web.Services.GetRequiredService<Database>();
        await Seed.CatalogAsync(database);
        // A real style guide runs to pages, so the job's composed prompt needs new database pages, as on a full disk.
        var guide = "Primary #ff5500. " + string.Concat(Enumerable.Repeat("Use generous white space and the primary colour sparingly. ", 300));
        await database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE brands SET content_markdown = @guide", new { guide }, t));
        var page = await Forms.GetPageAsync(client, "/projects/launch/items/hero");
        await FillAsync(database);
        var jobsBefore = await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs"));

        using var response = await Forms.PostAsync(client, "/projects/launch/items/hero", GenerateFields(page), "/projects/launch/items/hero?handler=Generate");

        var body = await Forms.BodyAsync(response);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("<h1>The disk is full</h1>", body, StringComparison.Ordinal);
        Assert.Contains("nothing was saved", body, StringComparison.Ordinal);
        Assert.DoesNotContain("SqliteException", body, StringComparison.Ordinal);
        Assert.Equal(jobsBefore, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs")));
    }

    [Fact]
    public async Task Generate_WhileAnotherProgramHoldsTheDatabase_Answers503Busy_AndSavesNothing()
    {
        await using var web = new WebTestHost("http://127.0.0.1:9", new Dictionary<string, string> { ["Storage:BusyTimeout"] = "00:00:00.5" });
        using var client = web.CreateClient();
        await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var database = web.Services.GetRequiredService<Database>();
        await Seed.CatalogAsync(database);
        var page = await Forms.GetPageAsync(client, "/projects/launch/items/hero");

        // Another program (sqlite3, a backup tool) takes the write lock and keeps it.
        await using (var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={web.Root.DatabasePath};Pooling=False"))
        {
            await holder.OpenAsync(TestContext.Current.CancellationToken);
            await holder.ExecuteAsync("BEGIN IMMEDIATE; UPDATE queue_control SET changed_by = 'backup tool';");

            using var response = await Forms.PostAsync(client, "/projects/launch/items/hero", GenerateFields(page), "/projects/launch/items/hero?handler=Generate");

            var body = await Forms.BodyAsync(response);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("<h1>The database is busy</h1>", body, StringComparison.Ordinal);
            Assert.Contains("nothing was saved. Try again", body, StringComparison.Ordinal);
            await holder.ExecuteAsync("ROLLBACK");
        }
        Assert.Equal(0, await database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs")));
    }

    /// <summary>Writes rows until SQLite answers "database or disk is full" at the configured cap.</summary>
    private static async Task FillAsync(Database database)
    {
        await database.WriteAsync((c, t) => c.ExecuteAsync("CREATE TABLE filler (x BLOB)", transaction: t));
        foreach (var size in new[] { 4000, 500, 50 })
        {
            try
            {
                while (true)
                {
                    await database.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO filler VALUES (randomblob(@size))", new { size }, t));
                }
            }
            catch (StorageException e) when (e.Trouble.Kind == StorageTroubleKind.Full)
            {
            }
        }
    }
}
