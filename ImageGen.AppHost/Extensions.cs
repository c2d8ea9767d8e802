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
    /// Dashboard commands on the worker resource: pause and resume the queue, and requeue jobs whose lease
    /// expired. Each calls the worker's own endpoint, so the dashboard and the web app change the same state.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithQueueCommands(this IResourceBuilder<ProjectResource> worker)
    {
        var endpoint = worker.GetEndpoint("http");
        worker.WithCommand("pause-queue", "Pause queue", _ => PostAsync(endpoint, "/pause"),
            new CommandOptions { IconName = "Pause", Description = "Stop claiming queued jobs; running jobs finish." });
        worker.WithCommand("resume-queue", "Resume queue", _ => PostAsync(endpoint, "/resume"),
            new CommandOptions { IconName = "Play", Description = "Claim queued jobs again." });
        worker.WithCommand("requeue-expired", "Requeue expired leases", _ => PostAsync(endpoint, "/requeue-expired"),
            new CommandOptions { IconName = "ArrowClockwise", Description = "Put running jobs whose worker stopped renewing back in the queue now." });
        return worker;
    }

    private static async Task<ExecuteCommandResult> PostAsync(EndpointReference endpoint, string path)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await http.PostAsync(new Uri(new Uri(endpoint.Url), path), null);
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
