using ImageGen.Core.Assets;
using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using ImageGen.Core.Iteration;
using ImageGen.Core.Queue;
using ImageGen.Web.Services;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;
using ImageGen.Core.Providers;
using ImageGen.Core.Spec;

namespace ImageGen.Web.Pages.WorkItems;

/// <summary>One candidate's card on the work item page: the image, its run, and the page it sits on (for the forms' return address).</summary>
public sealed record CandidateCard(RunImageView Image, long RunId, DetailsModel Page);

// Reference uploads are checked against InputLimits.MaxBytes with a message; the request limit sits above it.
[RequestSizeLimit(InputLimits.MaxBytes * 2)]
public sealed class DetailsModel(
    CatalogStore catalog, RunQueries runs, JobQueries jobs, ModelRegistry models, JobSubmitter submitter, FinalStore finals, ExportBuilder exports,
    AssetStore assets, AssetUploader uploader, CostQueries costs, IJobQueue queue) : PageModel
{
    [BindProperty]
    public GenerateInput Generate { get; set; } = new();

    public Spend Spend { get; private set; } = null!;

    [TempData]
    public string? StatusMessage { get; set; }

    public WorkItemDetail Item { get; private set; } = null!;
    public string ComposedPrompt { get; private set; } = "";
    public IReadOnlyList<ModelInfo> Models { get; private set; } = [];
    public IReadOnlyList<JobListItem> ActiveJobs { get; private set; } = [];
    public IReadOnlyList<RunView> Runs { get; private set; } = [];
    public string LiveVersion { get; private set; } = "";
    public IReadOnlyList<FinalRecord> Finals { get; private set; } = [];

    /// <summary>The image that is the work item's final now, if any: marked in the grid, without "Make final".</summary>
    public long? CurrentFinalId => Finals.FirstOrDefault(f => f.ReplacedAt is null)?.RunImageId;

    /// <summary>The queue is paused: a queued job of this item waits, and the page says so.</summary>
    public bool Paused { get; private set; }

    /// <summary>What the generate form offers as references: the brand's active assets, then this item's uploads.</summary>
    public IReadOnlyList<Asset> ReferenceChoices { get; private set; } = [];

    [FromQuery(Name = "starred")]
    public bool StarredOnly { get; set; }

    /// <summary>The history page: runs older than this run id (null: the newest).</summary>
    [FromQuery(Name = "before"), System.ComponentModel.DataAnnotations.Range(1, long.MaxValue, ErrorMessage = "it must be a page marker, 1 or more")]
    public long? Before { get; set; }

    public long? NextBefore { get; private set; }

    /// <summary>Only candidates with this brand verdict (pass, warn, fail, unchecked); another value is refused with a message.</summary>
    [FromQuery(Name = "brand")]
    public string? BrandFilter { get; set; }

    /// <summary>"brand": every candidate by brand score, best first, instead of the run history.</summary>
    [FromQuery(Name = "sort")]
    public string? Sort { get; set; }

    /// <summary>The filtered view: candidates across runs instead of the history (a brand filter or the brand sort).</summary>
    public bool Filtered => BrandFilter is not null || Sort == "brand";

    public IReadOnlyList<RunImageView> FilteredImages { get; private set; } = [];
    public bool FilteredMore { get; private set; }

    /// <summary>The verdict <see cref="BrandFilter"/> names, once it is read.</summary>
    public ImageGen.Core.BrandCheck.BrandVerdict? BrandVerdictFilter { get; private set; }

    public string ItemUrl => $"/projects/{Item.ProjectSlug}/items/{Item.Slug}";

    public async Task<IActionResult> OnGetAsync(string project, string item, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(project, item, cancellationToken))
        {
            return NotFound();
        }
        // A fresh form starts from the item's saved references; a refused post is redisplayed with what it sent.
        Generate.References = ReferenceChoices.Where(a => a.Selected).Select(a => a.Id).ToList();
        Generate.Models = [ModelRegistry.DefaultModelId];
        return Page();
    }

    public async Task<IActionResult> OnPostGenerateAsync(string project, string item, CancellationToken cancellationToken)
    {
        if (await catalog.GetWorkItemAsync(project, item, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        Generate.Validate(ModelState, models);
        IReadOnlyList<InputFile> references = [];
        if (ModelState.IsValid)
        {
            (references, var refused) = await assets.UseAsync(found, Generate.References, cancellationToken);
            if (refused.Count > 0)
            {
                ModelState.AddModelError("Generate.References",
                    $"Reference {string.Join(", ", refused.Select(id => $"#{id}"))} is not offered for this item any more (retired, or of another brand); choose again.");
            }
        }
        if (!ModelState.IsValid)
        {
            await LoadAsync(project, item, cancellationToken);
            return Page();
        }
        var results = new List<(string Model, EnqueueResult Result)>();
        foreach (var model in Generate.Models)
        {
            // One key per model from the form's key: a double submit still makes one job per model.
            var key = Generate.Models.Count == 1 ? Generate.IdempotencyKey : $"{Generate.IdempotencyKey}:{model}";
            results.Add((model, await submitter.SubmitAsync(found, Generate.AskOf(model, references), key, cancellationToken)));
        }
        StatusMessage = results.All(r => !r.Result.Created)
            ? $"Job {string.Join(", ", results.Select(r => $"#{r.Result.JobId}"))} was already queued by this form; no second job was made."
            : $"Queued {string.Join(", ", results.Select(r => $"job #{r.Result.JobId} ({r.Model})"))}: {Generate.Count} candidate(s) each.";
        return Redirect($"/projects/{found.ProjectSlug}/items/{found.Slug}");
    }

    public async Task<IActionResult> OnPostFinalizeAsync(string project, string item, long imageId, CancellationToken cancellationToken)
    {
        if (await catalog.GetWorkItemAsync(project, item, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        try
        {
            StatusMessage = await finals.FinalizeAsync(found.Id, imageId, cancellationToken) is { } path
                ? $"Image #{imageId} is now the final: {path}."
                : $"Error: image #{imageId} is not a candidate of this work item, or its file is missing from the data folder; nothing changed.";
        }
        catch (InvalidOperationException e)
        {
            StatusMessage = $"Error: {e.Message}";
        }
        return Redirect(HistoryUrl(found));
    }

    /// <summary>"More like this": the candidate's model, settings and own seed, plus an optional adjustment.</summary>
    public async Task<IActionResult> OnPostMoreLikeThisAsync(string project, string item, long imageId, string? adjustment, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (await catalog.GetWorkItemAsync(project, item, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        var source = await runs.GetImageWithRunAsync(imageId, cancellationToken);
        adjustment = string.IsNullOrWhiteSpace(adjustment) ? null : adjustment.Trim();
        if (source is not { } s || s.WorkItemId != found.Id)
        {
            StatusMessage = $"Error: image #{imageId} is not a candidate of this work item; nothing was queued.";
        }
        else if (adjustment?.Length > TextLimits.Adjustment)
        {
            StatusMessage = $"Error: the adjustment is too long (at most {TextLimits.Adjustment} characters); nothing was queued.";
        }
        else
        {
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
            var result = await submitter.SubmitAsync(found, ask, string.IsNullOrWhiteSpace(idempotencyKey) ? Guid.NewGuid().ToString("N") : idempotencyKey, cancellationToken);
            var how = imageToImage
                ? "image-to-image"
                : $"seed {s.Image.Seed}; {previous.Model} takes no input image, so this is a variation of the prompt and seed";
            StatusMessage = result.Created
                ? $"Job #{result.JobId} queued: more like image #{imageId} ({how}){(adjustment is null ? "" : $", adjusted: {adjustment}")}."
                : $"Job #{result.JobId} was already queued by this form; no second job was made.";
        }
        return Redirect($"/projects/{found.ProjectSlug}/items/{found.Slug}");
    }

    public async Task<IActionResult> OnPostUploadReferenceAsync(string project, string item, IFormFile? file, string? role, string? note, CancellationToken cancellationToken)
    {
        if (await catalog.GetWorkItemAsync(project, item, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        var (ok, message) = await uploader.UploadAsync(file, role, note, null, found.Id, cancellationToken);
        StatusMessage = ok ? $"{message} It is chosen as a reference for this item." : $"Error: {message} Nothing was added.";
        return Redirect($"/projects/{found.ProjectSlug}/items/{found.Slug}#references");
    }

    public async Task<IActionResult> OnPostRemoveReferenceAsync(string project, string item, long assetId, CancellationToken cancellationToken)
    {
        if (await catalog.GetWorkItemAsync(project, item, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        var (ok, message) = await uploader.RemoveAsync(assetId, a => a.WorkItemId == found.Id, "this item's uploads", cancellationToken);
        StatusMessage = ok ? message : $"Error: {message}";
        return Redirect($"/projects/{found.ProjectSlug}/items/{found.Slug}#references");
    }

    public async Task<IActionResult> OnPostExportAsync(string project, string item, bool includeCandidates, CancellationToken cancellationToken)
    {
        if (await catalog.GetWorkItemAsync(project, item, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        var name = await exports.BuildAsync(found, includeCandidates, cancellationToken);
        StatusMessage = $"Export ready: {name}.";
        return Redirect($"/projects/{found.ProjectSlug}/items/{found.Slug}?export={Uri.EscapeDataString(name)}");
    }

    [FromQuery(Name = "export")]
    public string? ExportName { get; set; }


    public async Task<IActionResult> OnPostStarAsync(string project, string item, long imageId, bool starred, CancellationToken cancellationToken)
    {
        if (await catalog.GetWorkItemAsync(project, item, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        if (!await finals.SetStarAsync(found.Id, imageId, starred, cancellationToken))
        {
            StatusMessage = $"Error: image #{imageId} is not a candidate of this work item; nothing changed.";
        }
        return Redirect($"{HistoryUrl(found)}#image-{imageId}");
    }

    /// <summary>The item's page as the user was looking at it: the same history page, starred filter kept.</summary>
    private string HistoryUrl(WorkItemDetail found)
    {
        var query = QueryString.Create(new Dictionary<string, string?>
        {
            ["starred"] = StarredOnly ? "true" : null,
            ["before"] = Before?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["brand"] = BrandFilter,
            ["sort"] = Sort,
        }.Where(p => p.Value is not null));
        return $"/projects/{found.ProjectSlug}/items/{found.Slug}{query}";
    }

    private async Task<bool> LoadAsync(string project, string item, CancellationToken cancellationToken)
    {
        if (await catalog.GetWorkItemAsync(project, item, cancellationToken) is not { } found)
        {
            return false;
        }
        Item = found;
        ComposedPrompt = PromptComposer.Compose(new PromptParts(found.Prompt, found.Type, found.Constraints, found.EffectiveBrandName, found.EffectiveBrandMarkdown));
        Models = models.List();
        LiveVersion = await jobs.WorkItemVersionAsync(found.Id, cancellationToken);
        ActiveJobs = await jobs.ActiveForWorkItemAsync(found.Id, cancellationToken);
        Paused = ActiveJobs.Any(j => j.Status == JobStatus.Queued) && await queue.IsPausedAsync(cancellationToken);
        if (!BrandCheckText.TryParseFilter(BrandFilter, out var verdict))
        {
            ModelState.AddModelError(nameof(BrandFilter), $"'{BrandFilter}' is not a brand verdict: choose {BrandCheckText.FilterWords}.");
            BrandFilter = null;
        }
        BrandVerdictFilter = verdict;
        if (Sort is not null && Sort != "brand")
        {
            ModelState.AddModelError(nameof(Sort), $"'{Sort}' is not an order here: leave it empty for the history, or 'brand' for brand score.");
            Sort = null;
        }
        if (Filtered)
        {
            (FilteredImages, FilteredMore) = await runs.CandidatesAsync(found.Id, BrandVerdictFilter, StarredOnly, Sort == "brand", cancellationToken);
        }
        else
        {
            (Runs, NextBefore) = await runs.HistoryPageAsync(found.Id, Before, cancellationToken);
        }
        Finals = await finals.HistoryAsync(found.Id, cancellationToken);
        ReferenceChoices = await assets.ChoicesAsync(found, cancellationToken);
        Spend = await costs.ForWorkItemAsync(found.Id, cancellationToken);
        return true;
    }
}
