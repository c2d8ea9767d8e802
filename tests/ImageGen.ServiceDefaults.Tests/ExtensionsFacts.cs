using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace ImageGen.ServiceDefaults.Tests;

public sealed class ExtensionsFacts
{
    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) });
    }

    [Fact]
    public async Task HealthAndAlive_AnswerHealthy()
    {
        var (app, client) = await StartAsync();
        await using var _ = app;
        using var __ = client;

        Assert.Equal("Healthy", await client.GetStringAsync("/health", TestContext.Current.CancellationToken));
        Assert.Equal("Healthy", await client.GetStringAsync("/alive", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Alive_IgnoresReadinessChecks_WhileHealthReportsThem()
    {
        var (app, client) = await StartAsync(b => b.Services.AddHealthChecks().AddCheck("database", () => HealthCheckResult.Unhealthy("down")));
        await using var _ = app;
        using var __ = client;

        using var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        using var alive = await client.GetAsync("/alive", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Tracing_ListensToTheProductActivitySource()
    {
        var (app, client) = await StartAsync();
        await using var _ = app;
        using var __ = client;
        using var source = new System.Diagnostics.ActivitySource(Extensions.TelemetryName);

        using var activity = source.StartActivity("probe");

        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.NotNull(activity); // null would mean no tracer listens to "ImageGen", and job spans would vanish
        Assert.True(activity.Recorded);
    }
}
