using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Iteration;
using ImageGen.Core.Providers;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageGen.Core.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>The data root, the database (SQLite or PostgreSQL), the job queue and run recorder, shared by the web app and the worker.</summary>
    public static IServiceCollection AddImageGenCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(DataRoot.FromConfiguration(configuration));
        services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.SectionName);
        services.AddImageGenStorage();
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<JobQueries>();
        services.AddSingleton<RunQueries>();
        services.AddSingleton<CostQueries>();
        services.AddSingleton<CatalogStore>();
        services.AddSingleton<ComparisonStore>();
        services.AddSingleton<FinalStore>();
        services.AddSingleton<ExportBuilder>();
        services.AddSingleton<CandidateSearch>();
        services.AddSingleton<BrandCheckSource>();
        services.AddSingleton<BrandInsights>();
        services.AddSingleton<Assets.AssetIntake>();
        services.AddSingleton<AssetStore>();
        // Availability only (keys set or not): generation itself runs in the CLI, which reads its own environment.
        services.AddSingleton(_ => ModelRegistry.CreateDefault(ProviderSettings.FromEnvironment(key => configuration[key])));
        services.AddMetrics();
        services.AddSingleton<QueueMetrics>();
        return services;
    }

    /// <summary>
    /// Brings the schema up to date, or checks that another process did (<see cref="StorageOptions.Migrate"/>). Call before
    /// the host starts, so nothing touches the database before it.
    /// </summary>
    /// <returns>false when this process was started only to migrate (<c>Storage:Migrate=only</c>) and should now exit.</returns>
    public static async Task<bool> MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var database = services.GetRequiredService<Database>();
        var configured = services.GetRequiredService<IOptions<StorageOptions>>().Value.Migrate;
        var mode = string.IsNullOrWhiteSpace(configured) ? StorageMigrations.AtStart : configured.Trim().ToLowerInvariant();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Migrator).FullName!);
        switch (mode)
        {
            case StorageMigrations.AtStart:
                await Migrator.MigrateAsync(database, logger, cancellationToken);
                return true;
            case StorageMigrations.Only:
                await Migrator.MigrateAsync(database, logger, cancellationToken);
                return false;
            case StorageMigrations.Done:
                var version = await database.SchemaVersionAsync(cancellationToken);
                return version == database.LatestSchemaVersion ? true : throw new InvalidOperationException(
                    $"Storage:Migrate is '{StorageMigrations.Done}', but {database.Describe} is at schema version {version}, not {database.LatestSchemaVersion}: "
                    + "the process that migrates it (the AppHost's 'migrate' resource) has not brought it up to date; see its log.");
            default:
                throw new InvalidOperationException(
                    $"Storage:Migrate is '{mode}': use '{StorageMigrations.AtStart}' (the default), '{StorageMigrations.Only}' or '{StorageMigrations.Done}'.");
        }
    }
}
