using ImageGen.Core.Hosting;
using ImageGen.Core.Storage;
using ImageGen.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageGen.Core.Tests.Storage;

/// <summary><c>Storage:Migrate</c>: one owner migrates (the AppHost's migrate resource), the others only check the version.</summary>
public sealed class MigrationModeFacts
{
    private static ServiceProvider Services(string dataDirectory, string? mode)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DataRoot.ConfigKey] = dataDirectory,
            ["Storage:Migrate"] = mode,
        }).Build();
        return new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddImageGenCore(configuration).BuildServiceProvider();
    }

    [Fact]
    public async Task Done_OnAnUnmigratedDatabase_RefusesToStart_SayingWhoShouldHaveMigrated()
    {
        using var data = new TempDirectory("migrate-done");
        await using var services = Services(data.Path, StorageMigrations.Done);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => services.MigrateDatabaseAsync());
        Assert.Contains("is at schema version 0, not ", e.Message, StringComparison.Ordinal);
        Assert.Contains("the AppHost's 'migrate' resource", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_Migrates_AndSaysNotToStart_ThenDone_Starts()
    {
        using var data = new TempDirectory("migrate-only");
        await using (var owner = Services(data.Path, StorageMigrations.Only))
        {
            Assert.False(await owner.MigrateDatabaseAsync());
            var database = owner.GetRequiredService<Database>();
            Assert.Equal(database.LatestSchemaVersion, await database.SchemaVersionAsync());
        }
        await using var waiter = Services(data.Path, StorageMigrations.Done);
        Assert.True(await waiter.MigrateDatabaseAsync());
        await using var standalone = Services(data.Path, null);
        Assert.True(await standalone.MigrateDatabaseAsync()); // at-start, the default: nothing left to do
    }

    [Fact]
    public async Task AnUnknownMode_IsRefusedNamingTheChoices()
    {
        using var data = new TempDirectory("migrate-bad");
        await using var services = Services(data.Path, "sometimes");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => services.MigrateDatabaseAsync());
        Assert.Equal("Storage:Migrate is 'sometimes': use 'at-start' (the default), 'only' or 'done'.", e.Message);
    }
}
