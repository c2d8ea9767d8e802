using ImageGen.Core.Files;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage.Postgres;
using ImageGen.Core.Storage.Sql;
using ImageGen.Core.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImageGen.Core.Storage;

/// <summary>Chooses the backend from configuration and registers it behind the ports.</summary>
public static class StorageServices
{
    /// <summary>The connection string name the AppHost gives PostgreSQL (<c>ConnectionStrings:imagegen</c>).</summary>
    public const string ConnectionStringName = "imagegen";

    /// <summary>
    /// <c>Storage:Provider</c> = <c>sqlite</c> (default) or <c>postgres</c>; PostgreSQL's connection string comes from
    /// <c>Storage:ConnectionString</c> or <c>ConnectionStrings:imagegen</c>.
    /// </summary>
    public static IServiceCollection AddImageGenStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
                options.ConnectionString ??= configuration.GetConnectionString(ConnectionStringName));
        services.AddSingleton<IImageStore>(sp => new LocalImageStore(sp.GetRequiredService<DataRoot>()));
        // On PostgreSQL, the process's registered data source when it has one (AddNpgsqlDataSource: health check, traces, metrics).
        services.AddSingleton(sp => Open(sp.GetRequiredService<DataRoot>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetService<NpgsqlDataSource>()));
        services.AddSingleton(sp => new SqlRunCloser(sp.GetRequiredService<Database>(), sp.GetRequiredService<IImageStore>()));
        services.AddSingleton(sp => CreateQueue(sp.GetRequiredService<Database>(), sp.GetRequiredService<SqlRunCloser>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<QueueOptions>>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<SqlJobQueue>());
        services.AddSingleton<IRunRecorder, SqlRunRecorder>();
        services.AddSingleton<StoredSecretScrubber>();
        return services;
    }

    /// <summary>The queue of <paramref name="database"/>'s backend; its sweeps close lost runs through <paramref name="runs"/>.</summary>
    public static SqlJobQueue CreateQueue(Database database, SqlRunCloser runs, TimeProvider time, IOptions<QueueOptions> options, ILoggerFactory? loggers = null) => database switch
    {
        PostgresDatabase postgres => new PostgresJobQueue(postgres, runs, time, options, loggers?.CreateLogger<PostgresJobQueue>()),
        SqliteDatabase sqlite => new SqliteJobQueue(sqlite, runs, time, options),
        _ => throw new InvalidOperationException($"No queue for storage provider '{database.Provider}'."),
    };

    /// <summary>
    /// The connection string a process on PostgreSQL should register its data source with (the Aspire Npgsql integration's
    /// <c>AddNpgsqlDataSource</c>, see the web app's and the worker's service extensions), with this store's
    /// <c>lock_timeout</c> in it; null when <paramref name="configuration"/> chooses SQLite or gives no connection string
    /// (then <see cref="Open"/> says what is missing).
    /// </summary>
    public static string? PostgresConnectionString(IConfiguration configuration)
    {
        var options = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        options.ConnectionString ??= configuration.GetConnectionString(ConnectionStringName);
        return options.Provider.Trim().Equals(StorageProviders.Postgres, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? PostgresDatabase.ConnectionStringFor(options.ConnectionString, options)
            : null;
    }

    /// <summary>The database <paramref name="options"/> names, over the data folder <paramref name="root"/>.</summary>
    /// <param name="dataSource">On PostgreSQL, a data source the process registered for it; null: the database makes its own.</param>
    public static Database Open(DataRoot root, StorageOptions options, NpgsqlDataSource? dataSource = null) => options.Provider.Trim().ToLowerInvariant() switch
    {
        StorageProviders.Sqlite => new SqliteDatabase(root, options),
        StorageProviders.Postgres when !string.IsNullOrWhiteSpace(options.ConnectionString) => new PostgresDatabase(root, options.ConnectionString, options, dataSource),
        StorageProviders.Postgres => throw new InvalidOperationException(
            "Storage:Provider is 'postgres' but no connection string is set: set Storage:ConnectionString or ConnectionStrings:imagegen."),
        var other => throw new InvalidOperationException($"Storage:Provider '{other}' is not known: use 'sqlite' or 'postgres'."),
    };
}
