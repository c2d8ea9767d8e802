using System.Net;
using System.Net.Http.Json;
using ImageGen.Core;
using ImageGen.Testing;

namespace ImageGen.Worker.Tests;

/// <summary>
/// The worker's HTTP surface against a page in the user's browser: commands need the worker key, anything that says
/// it comes from a browser is refused, and a foreign Host header (DNS rebinding) gets 400 however the process starts.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SideDoorFacts
{
    public static TheoryData<string> Commands => ["/pause", "/resume", "/requeue-expired", "/wake"];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Command_AsACrossSiteFormPost_IsRefused_AndChangesNothing(string path)
    {
        await using var host = new WorkerTestHost();
        await host.StartAsync();
        using var client = host.AnonymousClient;

        // Exactly what an <form method=post action=http://localhost:5081/pause> on another site sends.
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([]) };
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("never from a web page", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.False(await host.Queue.IsPausedAsync());
    }

    [Fact]
    public async Task Command_WithTheKeyButFromABrowser_IsRefused()
    {
        await using var host = new WorkerTestHost();
        await host.StartAsync();
        using var client = host.Client;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/pause");
        request.Headers.Add("Origin", "http://localhost:5080");
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await host.Queue.IsPausedAsync());
    }

    [Fact]
    public async Task Command_WithoutTheKeyOrWithAWrongOne_IsRefused_AndWithItRuns()
    {
        await using var host = new WorkerTestHost();
        await host.StartAsync();
        var cancellationToken = TestContext.Current.CancellationToken;

        using var anonymous = host.AnonymousClient;
        using (var response = await anonymous.PostAsync("/pause", null, cancellationToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains(WorkerAccess.HeaderName, await response.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
        }
        using (var wrong = new HttpRequestMessage(HttpMethod.Post, "/pause"))
        {
            wrong.Headers.Add(WorkerAccess.HeaderName, "guessed");
            using var response = await anonymous.SendAsync(wrong, cancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        Assert.False(await host.Queue.IsPausedAsync());

        using var client = host.Client;
        using (var response = await client.PostAsync("/pause", null, cancellationToken))
        {
            response.EnsureSuccessStatusCode();
        }
        Assert.True(await host.Queue.IsPausedAsync());
    }

    [Theory]
    [InlineData("/status")]
    [InlineData("/health")]
    public async Task ForeignHostHeader_Gets400(string path)
    {
        await using var host = new WorkerTestHost();
        await host.StartAsync();
        using var client = host.Client;

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "rebind.evil.example";
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("ImageGen.Worker", "/status")]
    [InlineData("ImageGen.Web", "/")]
    public async Task StartedFromAnotherFolder_TheProcessStillRefusesForeignHosts(string project, string path)
    {
        using var data = new TempDirectory("side-door");
        using var elsewhere = new TempDirectory("cwd"); // no appsettings.json here
        var port = Ports.Closed();
        using var service = ServiceProcess.Start(project, data.Path, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        }, workingDirectory: elsewhere.Path);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.GetAsync(async () =>
        {
            try
            {
                using var up = await http.GetAsync("/alive", TestContext.Current.CancellationToken);
                return up.StatusCode;
            }
            catch (HttpRequestException)
            {
                return (HttpStatusCode)0;
            }
        }, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), $"{project} to answer");

        using var rebound = new HttpRequestMessage(HttpMethod.Get, path);
        rebound.Headers.Host = $"rebind.evil.example:{port}";
        using var response = await http.SendAsync(rebound, TestContext.Current.CancellationToken);
        using var local = await http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
    }
}
