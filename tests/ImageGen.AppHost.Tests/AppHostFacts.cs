using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
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

        // The worker's commands need the key the AppHost made: a plain POST is refused, the dashboard's command runs.
        using (var plain = await worker.PostAsync("/pause", null, cancellationToken))
        {
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, plain.StatusCode);
        }
        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        var paused = await commands.ExecuteCommandAsync("worker", "pause-queue", cancellationToken);
        Assert.True(paused.Success, paused.Message);
        Assert.True((await worker.GetFromJsonAsync<WorkerStatus>("/status", cancellationToken))!.Paused);
        var resumed = await commands.ExecuteCommandAsync("worker", "resume-queue", cancellationToken);
        Assert.True(resumed.Success, resumed.Message);
        Assert.False((await worker.GetFromJsonAsync<WorkerStatus>("/status", cancellationToken))!.Paused);
    }
}
