using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ImageGen.Core.Telemetry;

/// <summary>
/// The queue's instruments on the <c>ImageGen</c> meter. Created through <see cref="IMeterFactory"/>, so each host
/// (and each test host) has its own. Counters carry the model as a tag.
/// </summary>
public sealed class QueueMetrics
{
    private readonly Counter<long> _queued;
    private readonly Counter<long> _started;
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _canceled;
    private readonly Counter<long> _retried;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _runDuration;
    private readonly Counter<long> _images;
    private readonly Counter<long> _bytes;

    public QueueMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(ImageGenTelemetry.Name);
        _queued = Meter.CreateCounter<long>("imagegen.jobs.queued", "{job}", "Jobs queued");
        _started = Meter.CreateCounter<long>("imagegen.jobs.started", "{job}", "Job attempts started by a worker");
        _succeeded = Meter.CreateCounter<long>("imagegen.jobs.succeeded", "{job}", "Jobs that produced their images");
        _failed = Meter.CreateCounter<long>("imagegen.jobs.failed", "{job}", "Jobs that failed for good");
        _canceled = Meter.CreateCounter<long>("imagegen.jobs.canceled", "{job}", "Running jobs stopped by a cancel");
        _retried = Meter.CreateCounter<long>("imagegen.jobs.retried", "{job}", "Transient failures put back in the queue");
        _queueWait = Meter.CreateHistogram<double>("imagegen.jobs.queue_wait", "s", "Time from queued to claimed");
        _runDuration = Meter.CreateHistogram<double>("imagegen.jobs.run_duration", "s", "Time from claim to outcome");
        _images = Meter.CreateCounter<long>("imagegen.images.produced", "{image}", "Images stored");
        _bytes = Meter.CreateCounter<long>("imagegen.images.bytes", "By", "Bytes of images stored");
    }

    public Meter Meter { get; }

    /// <summary>Registers the gauges a worker reports: queue depth, age of the oldest queued job, busy slots.</summary>
    public void ObserveWorker(Func<long> queueDepth, Func<double> oldestQueuedAgeSeconds, Func<int> slotsBusy)
    {
        Meter.CreateObservableGauge("imagegen.queue.depth", queueDepth, "{job}", "Jobs waiting in the queue");
        Meter.CreateObservableGauge("imagegen.queue.oldest_age", oldestQueuedAgeSeconds, "s", "Age of the oldest queued job");
        Meter.CreateObservableGauge("imagegen.worker.slots_busy", slotsBusy, "{slot}", "Job slots in use in this worker");
    }

    public void Queued(string model) => _queued.Add(1, Model(model));

    public void Started(string model, TimeSpan queueWait)
    {
        _started.Add(1, Model(model));
        _queueWait.Record(queueWait.TotalSeconds, Model(model));
    }

    public void Succeeded(string model, TimeSpan runDuration, int images, long bytes, string format)
    {
        _succeeded.Add(1, Model(model));
        _runDuration.Record(runDuration.TotalSeconds, Model(model), new("outcome", "succeeded"));
        _images.Add(images, Model(model), new("format", format));
        _bytes.Add(bytes, Model(model), new("format", format));
    }

    public void Failed(string model, TimeSpan runDuration, bool willRetry)
    {
        (willRetry ? _retried : _failed).Add(1, Model(model));
        _runDuration.Record(runDuration.TotalSeconds, Model(model), new("outcome", willRetry ? "retry" : "failed"));
    }

    public void Canceled(string model, TimeSpan runDuration)
    {
        _canceled.Add(1, Model(model));
        _runDuration.Record(runDuration.TotalSeconds, Model(model), new("outcome", "canceled"));
    }

    private static KeyValuePair<string, object?> Model(string model) => new("model", model);
}
