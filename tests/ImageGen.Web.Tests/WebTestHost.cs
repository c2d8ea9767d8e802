using ImageGen.Core;
using ImageGen.Core.Storage;
using ImageGen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ImageGen.Web.Tests;

/// <summary>The web app in-process on a temporary data folder, pointed at a given worker address.</summary>
public sealed class WebTestHost : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("web");
    private readonly WebApplicationFactory<Program> _factory;

    public WebTestHost(string workerBaseUrl, IReadOnlyDictionary<string, string>? settings = null)
    {
        Root = new DataRoot(_directory.Path);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(DataRoot.ConfigKey, Root.Path).UseSetting("Worker:BaseUrl", workerBaseUrl);
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                b.UseSetting(key, value);
            }
        });
    }

    public DataRoot Root { get; }

    /// <summary>
    /// A started web app (the first request runs the migrations) with a cookie-keeping client; optionally seeded with
    /// brand "acme", project "launch", work item "hero" and <paramref name="runs"/> runs of two images each.
    /// <paramref name="settings"/> adds configuration (another store, for one).
    /// </summary>
    public static async Task<(WebTestHost Web, HttpClient Client, Database Database)> StartAsync(bool seedCatalog = true, int runs = 0,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var web = new WebTestHost("http://127.0.0.1:9", settings);
        var client = web.CreateClient();
        await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var database = web.Services.GetRequiredService<Database>();
        if (seedCatalog)
        {
            await Seed.CatalogAsync(database);
        }
        if (runs > 0)
        {
            await Seed.RunsAsync(database, runs);
        }
        return (web, client, database);
    }

    /// <summary>A client that keeps cookies (for anti-forgery) and does not follow redirects, so tests see the 302.</summary>
    public HttpClient CreateClient() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public IServiceProvider Services => _factory.Services;

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}

/// <summary>A stand-in worker on a real loopback Kestrel port that answers <c>GET /status</c>.</summary>
public sealed class FakeWorker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeWorker(WebApplication app) => _app = app;

    public string BaseUrl => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<FakeWorker> StartAsync(WorkerStatus status)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/status", () => Results.Json(status));
        await app.StartAsync();
        return new FakeWorker(app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
