using ImageGen.Core.Assets;
using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Iteration;
using ImageGen.Core.Queue;
using ImageGen.Web.Services;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using ImageGen.Core.Storage;
using ImageGen.Core.Providers;
using ImageGen.Core.Spec;

namespace ImageGen.Web.Pages.WorkItems;

/// <summary>
/// What the work item page's forms do to an item the page has already found: queue jobs, pick the final, star, upload and
/// remove references, export. Each returns what the page tells the user (an <c>Error: …</c> when nothing was done), so
/// the page's handlers only find the item, call one of these and redirect.
/// </summary>
public sealed class WorkItemActions(RunQueries runs, ModelRegistry models, JobSubmitter submitter, FinalStore finals, ExportBuilder exports,
    AssetStore assets, AssetUploader uploader)
{
    /// <summary>
    /// Queues one job per chosen model from the generate form. Null when the form is refused: the reasons are in
    /// <paramref name="modelState"/>, and the page shows the form again.
    /// </summary>
    public async Task<string?> GenerateAsync(WorkItemDetail item, GenerateInput generate, ModelStateDictionary modelState, CancellationToken cancellationToken)
    {
        generate.Validate(modelState, models);
        IReadOnlyList<InputFile> references = [];
        if (modelState.IsValid)
        {
            (references, var refused) = await assets.UseAsync(item, generate.References, cancellationToken);
            if (refused.Count > 0)
            {
                modelState.AddModelError("Generate.References",
                    $"Reference {string.Join(", ", refused.Select(id => $"#{id}"))} is not offered for this item any more (retired, or of another brand); choose again.");
            }
        }
        if (!modelState.IsValid)
        {
            return null;
        }
        var results = new List<(string Model, EnqueueResult Result)>();
        foreach (var model in generate.Models)
        {
            // One key per model from the form's key: a double submit still makes one job per model.
            var key = generate.Models.Count == 1 ? generate.IdempotencyKey : $"{generate.IdempotencyKey}:{model}";
            results.Add((model, await submitter.SubmitAsync(item, generate.AskOf(model, references), key, cancellationToken)));
        }
        return results.All(r => !r.Result.Created)
            ? $"Job {string.Join(", ", results.Select(r => $"#{r.Result.JobId}"))} was already queued by this form; no second job was made."
            : $"Queued {string.Join(", ", results.Select(r => $"job #{r.Result.JobId} ({r.Model})"))}: {generate.Count} candidate(s) each.";
    }

    public async Task<string> FinalizeAsync(WorkItemDetail item, long imageId, CancellationToken cancellationToken)
    {
        try
        {
            return await finals.FinalizeAsync(item.Id, imageId, cancellationToken) is { } path
                ? $"Image #{imageId} is now the final: {path}."
                : $"Error: image #{imageId} is not a candidate of this work item, or its file is missing from the data folder; nothing changed.";
        }
        catch (InvalidOperationException e)
        {
            return $"Error: {e.Message}";
        }
    }

    /// <summary>"More like this": the candidate's model, settings and own seed, plus an optional adjustment.</summary>
    public async Task<string> MoreLikeThisAsync(WorkItemDetail item, long imageId, string? adjustment, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var source = await runs.GetImageWithRunAsync(imageId, cancellationToken);
        adjustment = string.IsNullOrWhiteSpace(adjustment) ? null : adjustment.Trim();
        if (source is not { } s || s.WorkItemId != item.Id)
        {
            return $"Error: image #{imageId} is not a candidate of this work item; nothing was queued.";
        }
        if (adjustment?.Length > TextLimits.Adjustment)
        {
            return $"Error: the adjustment is too long (at most {TextLimits.Adjustment} characters); nothing was queued.";
        }
        var previous = s.Spec;
        var capabilities = models.Find(previous.Model)?.Info.Capabilities ?? ModelCapabilities.TextOnly;
        // Image-to-image where the model takes a source: the candidate itself, with the run's references as far as they
        // still fit beside it. Elsewhere, today's variation of the prompt and seed, and the page says so.
        var imageToImage = capabilities.SourceImage;
        var references = (previous.References ?? []).Take(capabilities.MaxReferences(withSource: imageToImage)).ToList();
        var ask = new JobSubmitter.Ask(previous.Model, s.Image.Format, previous.Size, previous.AspectRatio,
            Math.Clamp(previous.Count, 1, JobSpec.MaxCount), s.Image.Seed, previous.Background, previous.Quality, references, adjustment,
            imageToImage ? new InputFile(s.Image.Path, s.Image.Sha256, s.Image.Format, s.Image.FileName) { ImageId = s.Image.Id } : null,
            s.Image.RunId);
        var result = await submitter.SubmitAsync(item, ask, string.IsNullOrWhiteSpace(idempotencyKey) ? Guid.NewGuid().ToString("N") : idempotencyKey, cancellationToken);
        var how = imageToImage
            ? "image-to-image"
            : $"seed {s.Image.Seed}; {previous.Model} takes no input image, so this is a variation of the prompt and seed";
        return result.Created
            ? $"Job #{result.JobId} queued: more like image #{imageId} ({how}){(adjustment is null ? "" : $", adjusted: {adjustment}")}."
            : $"Job #{result.JobId} was already queued by this form; no second job was made.";
    }

    public async Task<string> UploadReferenceAsync(WorkItemDetail item, IFormFile? file, string? role, string? note, CancellationToken cancellationToken)
    {
        var (ok, message) = await uploader.UploadAsync(file, role, note, null, item.Id, cancellationToken);
        return ok ? $"{message} It is chosen as a reference for this item." : $"Error: {message} Nothing was added.";
    }

    public async Task<string> RemoveReferenceAsync(WorkItemDetail item, long assetId, CancellationToken cancellationToken)
    {
        var (ok, message) = await uploader.RemoveAsync(assetId, a => a.WorkItemId == item.Id, "this item's uploads", cancellationToken);
        return ok ? message : $"Error: {message}";
    }

    /// <summary>Builds the item's export bundle; returns its file name, for the page's download link.</summary>
    public Task<string> ExportAsync(WorkItemDetail item, bool includeCandidates, CancellationToken cancellationToken) =>
        exports.BuildAsync(item, includeCandidates, cancellationToken);

    /// <summary>Stars or unstars a candidate of the item; an error to show when it is not one, else null (the star says it).</summary>
    public async Task<string?> StarAsync(WorkItemDetail item, long imageId, bool starred, CancellationToken cancellationToken) =>
        await finals.SetStarAsync(item.Id, imageId, starred, cancellationToken)
            ? null
            : $"Error: image #{imageId} is not a candidate of this work item; nothing changed.";
}
