using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every ImageGen process shares: OpenTelemetry (exported over OTLP when the AppHost gives an endpoint),
/// health checks, service discovery and resilient HTTP clients.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>The product's ActivitySource and Meter name; processes add their own sources under it.</summary>
    public const string TelemetryName = "ImageGen";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddBasicServiceDefaults();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>Health checks, telemetry and the loopback Host check, without the HTTP client defaults.</summary>
    public static TBuilder AddBasicServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddLoopbackHostFiltering();
        return builder;
    }

    /// <summary>The Host headers every ImageGen process answers unless <c>AllowedHosts</c> is configured.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// Answers only loopback Host headers (a foreign one gets 400), so a DNS-rebinding page cannot read or drive
    /// the process. Built in rather than left to an appsettings.json found through the working directory: the
    /// default holds however the process is started. An explicit <c>AllowedHosts</c> setting still wins.
    /// </summary>
    public static TBuilder AddLoopbackHostFiltering<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var configuration = builder.Configuration;
        builder.Services.Configure<HostFilteringOptions>(options =>
        {
            if (string.IsNullOrWhiteSpace(configuration["AllowedHosts"]))
            {
                options.AllowedHosts = [.. DefaultAllowedHosts];
            }
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetryName))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetryName)
                .AddAspNetCoreInstrumentation(options =>
                    // Health probes every few seconds would drown the traces people look for.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c> (every check: ready to serve) and <c>/alive</c> (only "live" checks: the process runs).
    /// Mapped in every environment: ImageGen binds to loopback and the AppHost probes them. <c>/health</c> answers its
    /// status as text; asked for JSON (<c>Accept: application/json</c>) it also names each check and its status, so one
    /// can see which check it is (the database's, on PostgreSQL), never a check's description or exception.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        if (!context.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(report.Status.ToString());
        }
        var checks = new System.Text.Json.Nodes.JsonObject();
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = entry.Status.ToString();
        }
        var body = new System.Text.Json.Nodes.JsonObject { ["status"] = report.Status.ToString(), ["checks"] = checks };
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }
}
