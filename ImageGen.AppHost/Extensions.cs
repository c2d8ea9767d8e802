using System.Security.Cryptography;
using ImageGen.Core;
using ImageGen.Core.Providers;
using ImageGen.Core.Storage;
using Microsoft.Extensions.Configuration;

namespace ImageGen.AppHost;

internal static class Extensions
{
    /// <summary>
    /// The data folder: the <c>data-dir</c> parameter (<c>Parameters:data-dir</c> in configuration, user secrets
    /// or <c>--Parameters:data-dir=…</c>), else <c>IMAGEGEN_DATA_DIR</c>, else <c>~/.imagegen</c>.
    /// </summary>
    public static string ResolveDataDirectory(this IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration["Parameters:data-dir"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            configured = Environment.GetEnvironmentVariable("IMAGEGEN_DATA_DIR");
        }
        return string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".imagegen")
            : Path.GetFullPath(configured);
    }

    /// <summary>
    /// Passes every provider and CLI setting (<see cref="ProviderSettingTable"/>) set in the AppHost's configuration or
    /// environment to the worker (whose CLI uses them) and the web app (which shows which models are available): the
    /// secrets as secret parameters, masked in the dashboard (given as <c>Parameters:openai-api-key</c> or as the
    /// variable itself), the others as they are. A value that breaks its setting's rule stops the start with the
    /// setting's own message, rather than failing every job later.
    /// </summary>
    public static void ForwardProviderSettings(this IDistributedApplicationBuilder builder, params IResourceBuilder<ProjectResource>[] projects)
    {
        foreach (var setting in ProviderSettingTable.All)
        {
            var value = (setting.SecretParameter is { } parameter ? builder.Configuration[$"Parameters:{parameter}"] : null)
                ?? builder.Configuration[setting.Variable];
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }
            if (setting.Check(value) is { } refusal)
            {
                throw new InvalidOperationException(refusal);
            }
            if (setting.SecretParameter is { } name)
            {
                var secret = builder.AddParameter(name, value, secret: true);
                foreach (var project in projects)
                {
                    project.WithEnvironment(setting.Variable, secret);
                }
                continue;
            }
            foreach (var project in projects)
            {
                project.WithEnvironment(setting.Variable, value);
            }
        }
    }

    /// <summary>
    /// Dashboard commands on the worker resource: pause and resume the queue, and requeue jobs whose lease
    /// expired. Each calls the worker's own endpoint, so the dashboard and the web app change the same state.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithQueueCommands(this IResourceBuilder<ProjectResource> worker, IResourceBuilder<ParameterResource> workerKey)
    {
        var endpoint = worker.GetEndpoint("http");
        Task<ExecuteCommandResult> PostAsync(string path) => PostToWorkerAsync(endpoint, path, workerKey);
        worker.WithCommand("pause-queue", "Pause queue", _ => PostAsync("/pause"),
            new CommandOptions { IconName = "Pause", Description = "Stop claiming queued jobs; running jobs finish." });
        worker.WithCommand("resume-queue", "Resume queue", _ => PostAsync("/resume"),
            new CommandOptions { IconName = "Play", Description = "Claim queued jobs again." });
        worker.WithCommand("requeue-expired", "Requeue expired leases", _ => PostAsync("/requeue-expired"),
            new CommandOptions { IconName = "ArrowClockwise", Description = "Put running jobs whose worker stopped renewing back in the queue now." });
        return worker;
    }

    /// <summary>
    /// The key the worker asks of every command (ImageGen.Core's WorkerAccess): random per AppHost start, a secret
    /// parameter so the dashboard masks it, handed to the worker, the web app and the dashboard commands.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddWorkerKey(this IDistributedApplicationBuilder builder) =>
        builder.AddParameter("worker-key", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), secret: true);

    private static async Task<ExecuteCommandResult> PostToWorkerAsync(EndpointReference endpoint, string path, IResourceBuilder<ParameterResource> workerKey)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(endpoint.Url), path));
            request.Headers.Add(WorkerAccess.HeaderName, await workerKey.Resource.GetValueAsync(CancellationToken.None));
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode
                ? CommandResults.Success()
                : CommandResults.Failure($"The worker answered {(int)response.StatusCode} to {path}.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return CommandResults.Failure($"The worker did not answer {path}: {e.Message}");
        }
    }
}

/// <summary>Which store the AppHost runs the app on, and how many worker replicas.</summary>
internal sealed record StoreChoice(string Provider, int WorkerReplicas);

internal static class StoreExtensions
{
    /// <summary>
    /// <c>Parameters:store</c>: <c>sqlite</c> (default) or <c>postgres</c>; <c>Parameters:worker-replicas</c>: how many worker
    /// processes (1 on SQLite, 2 on PostgreSQL by default). Bad values stop the start with a message saying which.
    /// </summary>
    public static StoreChoice ResolveStore(this IDistributedApplicationBuilder builder)
    {
        var provider = (builder.Configuration["Parameters:store"] ?? "sqlite").Trim().ToLowerInvariant();
        if (provider is not ("sqlite" or "postgres"))
        {
            throw new InvalidOperationException($"Parameters:store is '{provider}': use 'sqlite' (the default) or 'postgres'.");
        }
        var replicas = provider == "postgres" ? 2 : 1;
        if (builder.Configuration["Parameters:worker-replicas"] is { Length: > 0 } configured
            && (!int.TryParse(configured, out replicas) || replicas is < 1 or > 16))
        {
            throw new InvalidOperationException($"Parameters:worker-replicas is '{configured}': use a whole number from 1 to 16.");
        }
        return new StoreChoice(provider, replicas);
    }

    /// <summary>
    /// On PostgreSQL: a connection string given as <c>ConnectionStrings:imagegen</c> is used as it is; otherwise the AppHost
    /// runs its own server (<see cref="LocalPostgres"/>). One owner migrates, as in aspire-samples' database-migrations:
    /// a <c>migrate</c> resource (the worker project with <c>Storage:Migrate=only</c>) brings the schema up to date and
    /// exits, and web and worker wait for it to complete (<c>Storage:Migrate=done</c>: they only check the version), so
    /// neither starts on a half-migrated database and a failed migration shows as one failed resource with its log.
    /// Web and worker get the database as <c>ConnectionStrings:imagegen</c>; the worker runs as
    /// <see cref="StoreChoice.WorkerReplicas"/> replicas.
    /// </summary>
    public static void UseStore(this IDistributedApplicationBuilder builder, StoreChoice store, string dataDirectory,
        IResourceBuilder<ProjectResource> worker, IResourceBuilder<ProjectResource> web)
    {
        if (store.WorkerReplicas > 1)
        {
            worker.WithReplicas(store.WorkerReplicas);
        }
        if (store.Provider != "postgres")
        {
            return;
        }
        // No launch profile: no endpoints, since it serves nothing (and the worker's fixed port is the worker's).
        var migrate = builder.AddProject<Projects.ImageGen_Worker>("migrate", launchProfileName: null)
            .WithEnvironment("ImageGen__DataDir", dataDirectory)
            .WithEnvironment("Storage__Migrate", StorageMigrations.Only);
        foreach (var project in new[] { worker, web })
        {
            project.WithEnvironment("Storage__Migrate", StorageMigrations.Done).WaitForCompletion(migrate);
        }
        IResourceBuilder<IResourceWithConnectionString> database = !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("imagegen"))
            ? builder.AddConnectionString("imagegen")
            : builder.AddLocalPostgres("postgres", dataDirectory);
        foreach (var project in new[] { migrate, worker, web })
        {
            project.WithEnvironment("Storage__Provider", StorageProviders.Postgres).WithReference(database, connectionName: StorageServices.ConnectionStringName);
            if (database.Resource is LocalPostgresResource)
            {
                project.WaitFor(database);
            }
        }
    }
}
