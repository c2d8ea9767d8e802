using ImageGen.Core;

namespace ImageGen.Web.Services;

/// <summary>Talks to the worker's small HTTP surface. Failures are logged and reported as "unreachable", never thrown at a page.</summary>
public sealed partial class WorkerClient(HttpClient http, ILogger<WorkerClient> logger)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<WorkerStatus?> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await http.GetFromJsonAsync<WorkerStatus>("/status", cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            LogUnreachable(logger, http.BaseAddress, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker at {BaseAddress} is unreachable: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, Uri? baseAddress, string reason);
}
