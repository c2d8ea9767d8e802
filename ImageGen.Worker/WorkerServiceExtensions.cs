using ImageGen.Core.Hosting;
using ImageGen.Core;
using ImageGen.Core.Storage;
using ImageGen.Core.Generation;
using ImageGen.Core.Providers;
using ImageGen.Core.Queue;
using ImageGen.Worker.Cli;
using ImageGen.Worker.Jobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ImageGen.Worker;

public static class WorkerServiceExtensions
{
    public static IHostApplicationBuilder AddWorkerServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddImageGenCore(builder.Configuration);
        // On PostgreSQL, the store's connections come from the Aspire Npgsql integration's data source: a database health
        // check on /health, and Npgsql's traces and metrics in the dashboard.
        if (StorageServices.PostgresConnectionString(builder.Configuration) is { } postgres)
        {
            builder.AddNpgsqlDataSource(StorageServices.ConnectionStringName, settings => settings.ConnectionString = postgres);
        }
        services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.SectionName)
            .Validate(o => o.Concurrency is >= 1 and <= 64, "Worker:Concurrency must be 1–64.")
            .ValidateOnStart();
        services.AddSingleton<WorkerState>();
        // Every key this worker hands the CLI: masked out of anything the CLI or a provider says, and scrubbed at start.
        services.AddSingleton(_ => SecretRedactor.FromVariables(name => builder.Configuration[name]));
        services.AddSingleton<WakeSignal>();
        services.AddSingleton<CliLocator>();
        services.AddSingleton<CliInvoker>();
        services.AddSingleton<CliSupervisor>();
        services.AddSingleton<RunIngest>();
        services.AddSingleton<AttemptRecorder>();
        services.AddSingleton<GenerateJobRunner>();
        services.AddHostedService<JobPoller>();
        services.AddHostedService<QueueListener>();
        services.AddHostedService<QueueJanitor>();
        // Running jobs get their grace period, plus time to record their release.
        services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) =>
            host.ShutdownTimeout = worker.Value.ShutdownGrace + TimeSpan.FromSeconds(10));
        services.AddHealthChecks().AddCheck<CliHealthCheck>("imagegen-cli");
        return builder;
    }

    public static WebApplication MapWorkerEndpoints(this WebApplication app)
    {
        app.MapGet("/status", async (WorkerState state, IJobQueue queue, IOptions<WorkerOptions> options, CancellationToken cancellationToken) => new WorkerStatus(
            options.Value.WorkerId,
            typeof(WorkerStatus).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            options.Value.Concurrency,
            state.RunningJobIds.Count,
            state.RunningJobIds,
            state.LastPollAt,
            state.StartedAt,
            state.Succeeded,
            state.Failed,
            await queue.IsPausedAsync(cancellationToken),
            state.Trouble?.Message,
            state.Trouble?.Since));
        // Commands change state: each needs the worker key header, and nothing a browser sends gets through.
        var commands = app.MapGroup("").AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            var refusal = WorkerAccess.Refusal(
                app.Configuration[WorkerAccess.ConfigKey],
                request.Headers[WorkerAccess.HeaderName],
                request.Headers.Origin,
                request.Headers["Sec-Fetch-Site"]);
            return refusal is null ? await next(context) : Results.Problem(refusal, statusCode: StatusCodes.Status403Forbidden);
        });
        commands.MapPost("/wake", (WakeSignal wake) =>
        {
            wake.Wake();
            return Results.Accepted();
        });
        // The Aspire dashboard's commands on the worker resource call these (see the AppHost).
        commands.MapPost("/pause", async (IJobQueue queue, IOptions<WorkerOptions> options, CancellationToken cancellationToken) =>
        {
            await queue.SetPausedAsync(true, $"worker {options.Value.WorkerId}", cancellationToken);
            return Results.Ok(new { paused = true });
        });
        commands.MapPost("/resume", async (IJobQueue queue, WakeSignal wake, IOptions<WorkerOptions> options, CancellationToken cancellationToken) =>
        {
            await queue.SetPausedAsync(false, $"worker {options.Value.WorkerId}", cancellationToken);
            wake.Wake();
            return Results.Ok(new { paused = false });
        });
        commands.MapPost("/requeue-expired", async (IJobQueue queue, WakeSignal wake, CancellationToken cancellationToken) =>
        {
            var requeued = await queue.RequeueExpiredAsync(cancellationToken);
            wake.Wake();
            return Results.Ok(new { requeued });
        });
        return app;
    }
}

/// <summary>The worker is only useful if it can start the CLI: report where it looked when it cannot.</summary>
internal sealed class CliHealthCheck(CliLocator locator) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var command = locator.Command;
            return Task.FromResult(HealthCheckResult.Healthy($"{command.FileName} {string.Join(' ', command.PrefixArguments)}"));
        }
        catch (FileNotFoundException e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(e.Message));
        }
    }
}
