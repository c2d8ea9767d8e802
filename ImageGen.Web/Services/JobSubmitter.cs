using System.Diagnostics;
using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Queue;
using ImageGen.Core.Telemetry;

namespace ImageGen.Web.Services;

/// <summary>What the generate form asks for, already validated.</summary>
public sealed record GenerateSettings(string Model, string Format, string? Size, string? AspectRatio, int Count, long? Seed, string? Adjustment, long? ParentRunId = null)
{
    public string Background { get; init; } = Backgrounds.Auto;
    public string Quality { get; init; } = Qualities.Auto;

    /// <summary>The reference files, already snapshotted (<see cref="ImageGen.Core.Assets.AssetStore.UseAsync"/>).</summary>
    public IReadOnlyList<InputFile> References { get; init; } = [];

    /// <summary>The candidate to start from, for a model that takes a source image.</summary>
    public InputFile? Source { get; init; }
}

/// <summary>
/// Queues a generate job for a work item: composes the prompt from the effective brand, snapshots everything
/// into the payload, enqueues under the form's idempotency key, then nudges the worker. Nothing slow runs here.
/// </summary>
public sealed class JobSubmitter(IJobQueue queue, WorkerClient worker, QueueMetrics metrics)
{
    public async Task<EnqueueResult> SubmitAsync(WorkItemDetail item, GenerateSettings settings, string idempotencyKey, CancellationToken cancellationToken)
    {
        var composed = PromptComposer.Compose(new PromptParts(
            item.Prompt, item.Type, item.Constraints, item.EffectiveBrandName, item.EffectiveBrandMarkdown, settings.Adjustment)
        {
            FromSource = settings.Source is not null,
        });
        var payload = new GeneratePayload
        {
            WorkItemId = item.Id,
            Model = settings.Model,
            ComposedPrompt = composed,
            Count = settings.Count,
            Size = settings.Size,
            AspectRatio = settings.AspectRatio,
            Format = settings.Format,
            Seed = settings.Seed,
            Adjustment = settings.Adjustment,
            ParentRunId = settings.ParentRunId,
            BrandRevisionId = item.EffectiveBrandRevisionId,
            References = settings.References.Count == 0 ? null : settings.References,
            Source = settings.Source,
            Background = settings.Background,
            Quality = settings.Quality,
        };
        var result = await queue.EnqueueAsync(new NewJob(JobKinds.Generate, payload.ToJson())
        {
            WorkItemId = item.Id,
            IdempotencyKey = idempotencyKey,
            TraceParent = Activity.Current?.Id,
        }, cancellationToken);
        if (result.Created)
        {
            metrics.Queued(settings.Model);
            await worker.WakeAsync(cancellationToken);
        }
        return result;
    }
}
