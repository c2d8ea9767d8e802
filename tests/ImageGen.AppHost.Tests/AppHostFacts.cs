using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ImageGen.Core;
using ImageGen.Testing;

namespace ImageGen.AppHost.Tests;

public sealed class AppHostFacts
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task AppHost_StartsWebAndWorker_HealthyOnOneDataFolder()
    {
        using var data = new ImageGen.Testing.TempDirectory("apphost");
        var cancellationToken = TestContext.Current.CancellationToken;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ImageGen_AppHost>(
            [$"--Parameters:data-dir={data.Path}"],
            (options, _) => options.DisableDashboard = true,
            cancellationToken);
        await using var app = await builder.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);

        await app.ResourceNotifications.WaitForResourceHealthyAsync("worker", cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("web", cancellationToken).WaitAsync(StartTimeout, cancellationToken);

        using var worker = app.CreateHttpClient("worker");
        var status = await Eventually.GetAsync(
            () => worker.GetFromJsonAsync<WorkerStatus>("/status", cancellationToken)!,
            s => s!.LastPollAt is not null, TimeSpan.FromSeconds(30), "the worker's first poll");
        Assert.Equal(2, status!.Slots);

        using var web = app.CreateHttpClient("web");
        var html = await web.GetStringAsync("/", cancellationToken);
        Assert.Contains("<h1>Dashboard</h1>", html, StringComparison.Ordinal);
        Assert.Contains(status.WorkerId, html, StringComparison.Ordinal); // the web app reached the worker by service discovery
        Assert.Contains(data.Path, html, StringComparison.Ordinal);       // and both use the folder the AppHost handed out
        Assert.True(File.Exists(Path.Combine(data.Path, "imagegen.db")));
    }
}
