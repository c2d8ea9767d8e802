using System.Diagnostics;
using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Core.Telemetry;
using ImageGen.Core.Spec;

namespace ImageGen.Web.Services;

/// <summary>
/// Queues a generate job for a work item: its <see cref="JobSpec"/>, made here once from what was asked (the prompt composed
/// from the effective brand, everything snapshotted, the origin noted), is stored as the job's payload under the form's
/// idempotency key; then the worker is nudged. Nothing slow runs here.
/// </summary>
public sealed class JobSubmitter(IJobQueue queue, WorkerClient worker, QueueMetrics metrics)
{
    /// <summary>What a form asks of one model, already validated; the spec adds the composed prompt and where it came from.</summary>
    /// <param name="Size">WIDTHxHEIGHT, or null.</param>
    /// <param name="References">The reference files, already snapshotted (<see cref="ImageGen.Core.Storage.AssetStore.UseAsync"/>).</param>
    /// <param name="Source">The candidate to start from, for a model that takes a source image.</param>
    /// <param name="ParentRunId">The run "more like this" started from.</param>
    public sealed record Ask(string Model, string Format, string? Size, string? AspectRatio, int Count, long? Seed, string Background, string Quality,
        IReadOnlyList<InputFile> References, string? Adjustment, InputFile? Source = null, long? ParentRunId = null);

    /// <summary>The spec of <paramref name="ask"/> for <paramref name="item"/>: the one place a form's answers become a job.</summary>
    public static JobSpec SpecFor(WorkItemDetail item, Ask ask) => new()
    {
        Model = ask.Model,
        Prompt = PromptComposer.Compose(new PromptParts(
            item.Prompt, item.Type, item.Constraints, item.EffectiveBrandName, item.EffectiveBrandMarkdown, ask.Adjustment)
        {
            FromSource = ask.Source is not null,
        }),
        Count = ask.Count,
        Size = ask.Size,
        AspectRatio = ask.AspectRatio,
        Format = ask.Format,
        Seed = ask.Seed,
        Background = ask.Background,
        Quality = ask.Quality,
        References = ask.References.Count == 0 ? null : ask.References,
        Source = ask.Source,
        Origin = new JobOrigin
        {
            WorkItemId = item.Id, BrandRevisionId = item.EffectiveBrandRevisionId, ParentRunId = ask.ParentRunId, Adjustment = ask.Adjustment,
        },
    };

    public async Task<EnqueueResult> SubmitAsync(WorkItemDetail item, Ask ask, string idempotencyKey, CancellationToken cancellationToken)
    {
        var spec = SpecFor(item, ask);
        var result = await queue.EnqueueAsync(new NewJob(JobKinds.Generate, spec.ToJson())
        {
            WorkItemId = item.Id,
            IdempotencyKey = idempotencyKey,
            TraceParent = Activity.Current?.Id,
        }, cancellationToken);
        if (result.Created)
        {
            metrics.Queued(spec.Model);
            await worker.WakeAsync(cancellationToken);
        }
        return result;
    }
}
