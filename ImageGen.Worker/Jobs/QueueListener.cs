using ImageGen.Core.Queue;

namespace ImageGen.Worker.Jobs;

/// <summary>
/// Wakes the poller the moment any process queues a job, where the store can say so (PostgreSQL's LISTEN/NOTIFY, so every
/// replica hears every job). On SQLite this ends at once: there the web app's HTTP <c>/wake</c> and the poll do the same.
/// </summary>
public sealed class QueueListener(IJobQueue queue, WakeSignal wake) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => queue.ListenAsync(wake.Wake, stoppingToken);
}
