using ImageGen.Core;
using ImageGen.Core.Queue;

namespace ImageGen.Web.Services;

/// <summary>Talks to the worker's small HTTP surface. Failures are logged and reported as "unreachable", never thrown at a page.</summary>
public sealed partial class WorkerClient(HttpClient http, IJobQueue queue, ILogger<WorkerClient> logger)
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

    /// <summary>
    /// Asks the worker to poll now. Best effort: polling picks the job up anyway, so failures are only logged. Skipped when
    /// the store wakes every worker itself (PostgreSQL's NOTIFY, sent as the job was queued).
    /// </summary>
    public async Task WakeAsync(CancellationToken cancellationToken = default)
    {
        if (queue.WakesWorkers)
        {
            return;
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(WakeTimeout);
            using var response = await http.PostAsync("/wake", null, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            LogWakeFailed(logger, http.BaseAddress, e.Message);
        }
    }

    public static readonly TimeSpan WakeTimeout = TimeSpan.FromMilliseconds(500);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not wake the worker at {BaseAddress} ({Reason}); it will find the job at its next poll")]
    private static partial void LogWakeFailed(ILogger logger, Uri? baseAddress, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker at {BaseAddress} is unreachable: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, Uri? baseAddress, string reason);
}
