using System.Globalization;
using ImageGen.Core.Assets;
using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Iteration;
using ImageGen.Core.Queue;
using ImageGen.Core.Storage;
using ImageGen.Core.Spec;
using ImageGen.Core.Providers;

namespace ImageGen.Web.Pages.WorkItems;

/// <summary>Where a work item's page is: the one place its address is put together.</summary>
public static class WorkItemUrl
{
    public static string Of(WorkItemDetail item) => $"/projects/{item.ProjectSlug}/items/{item.Slug}";
}

/// <summary>
/// Everything the work item page shows, read once by <see cref="WorkItemPage.LoadAsync"/>: the view reads this and
/// works nothing out itself beyond which branch of markup to write (no queries, no JSON, no joined strings).
/// </summary>
/// <param name="Runs">The history page (empty in the filtered view).</param>
/// <param name="FilteredImages">The filtered view's candidates (empty in the history).</param>
/// <param name="Finals">The item's finals, newest first: the first is the current one unless it was replaced.</param>
/// <param name="ReferenceChoices">What the generate form offers as references: the brand's active assets, then this item's uploads.</param>
public sealed record WorkItemView(
    WorkItemDetail Item,
    string ComposedPrompt,
    string LiveVersion,
    IReadOnlyList<JobListItem> ActiveJobs,
    bool Paused,
    IReadOnlyList<RunCard> Runs,
    long? NextBefore,
    IReadOnlyList<RunImageView> FilteredImages,
    bool FilteredMore,
    IReadOnlyList<FinalRecord> Finals,
    IReadOnlyList<Asset> ReferenceChoices,
    Spend Spend,
    ModelChoices Models)
{
    public string ItemUrl => WorkItemUrl.Of(Item);

    /// <summary>The image that is the work item's final now, if any: marked in the grid, without "Make final".</summary>
    public long? CurrentFinalId => Finals.FirstOrDefault(f => f.ReplacedAt is null)?.RunImageId;

    /// <summary>This item's own uploads among the choices: listed with a Delete/Retire button, and the upload panel opens when there are any.</summary>
    public IEnumerable<Asset> Uploads => ReferenceChoices.Where(a => a.WorkItemId is not null);

    /// <summary>Export is offered once there is something to export: before the first run it is only noise above the brief.</summary>
    public bool OffersExport(string? exportName) => Finals.Count > 0 || Runs.Count > 0 || exportName is not null;
}

/// <summary>The models the generate form offers, and the hints that name the models with a capability.</summary>
public sealed record ModelChoices(IReadOnlyList<ModelInfo> All)
{
    public IEnumerable<ModelInfo> Available => All.Where(m => m.Available);

    /// <summary>Listed so they can be found, but apart and below: their reason says what to set up.</summary>
    public IEnumerable<ModelInfo> NotSetUp => All.Where(m => !m.Available);

    /// <summary>How many rows the multi-select shows: all, and the "Not set up" group's label, up to 6.</summary>
    public int ListSize => Math.Min(All.Count + 1, 6);

    /// <summary>The models that can make a transparent background, for the background hint.</summary>
    public string TransparencyModels => string.Join(", ", All.Where(m => m.Capabilities.Transparency).Select(m => m.DisplayName));

    /// <summary>The models that take a quality, for the quality hint; says so when there are none.</summary>
    public string QualityModels => string.Join(", ", All.Where(m => m.Capabilities.Qualities.Count > 0).Select(m => m.DisplayName)) is { Length: > 0 } names
        ? names
        : "no model set up here";

    /// <summary>An option's <c>data-qualities</c>: the qualities the form script offers when the model is chosen.</summary>
    public static string QualitiesOf(ModelInfo model) => string.Join(",", model.Capabilities.Qualities);
}

/// <summary>
/// One run of the history, with its header's words worked out once: its spec and provider facts are read here (the facts
/// are JSON in the row, parsed once), not in the view.
/// </summary>
public sealed class RunCard
{
    /// <summary>What a run header says of a size when the spec gives none: the CLI's default.</summary>
    private const string DefaultSize = "1024x1024";

    public RunCard(RunView run, bool latestOfItsJob)
    {
        Run = run;
        Spec = run.Spec;
        Facts = run.Facts;
        var missing = run.Missing;
        OffersRetry = latestOfItsJob && run.JobStatus == JobStatus.Failed && (run.Status == RunStatus.Failed || missing is not null);
    }

    public RunView Run { get; }

    public JobSpec Spec { get; }

    /// <summary>What the provider said about the run; null when nothing was stored or it cannot be read.</summary>
    public RunFacts? Facts { get; }

    /// <summary>The size asked: the spec's size, else its aspect ratio, else the default.</summary>
    public string AskedSize => Spec.Size ?? Spec.AspectRatio ?? DefaultSize;

    /// <summary>The header's model and settings: size, format and count, e.g. "openai/gpt-image-1 · 1024x1024 png ×4".</summary>
    public string ModelAndSettings => $"{Run.Model} · {AskedSize} {Spec.Format} ×{Spec.Count}";

    /// <summary>A cost is shown once the run succeeded, or whenever one was recorded.</summary>
    public bool ShowsCost => Run.Status == RunStatus.Succeeded || Run.CostUsd is not null;

    /// <summary>The cost's hover text: how it was worked out, and from which prices.</summary>
    public string CostTitle => Facts?.Cost is { } c ? $"{c.Basis}; prices as of {c.PricesTaken}" : "no cost recorded";

    /// <summary>" · attempt N" after the job link, from the second attempt on.</summary>
    public string AttemptNote => Run.Attempt > 1 ? $" · attempt {Run.Attempt}" : "";

    /// <summary>Where the run came from (more like a candidate, image-to-image) and its adjustment; null when it has neither.</summary>
    public string? Lineage
    {
        get
        {
            if (Run.ParentRunId is null && Run.Adjustment is null)
            {
                return null;
            }
            var from = Run.ParentRunId is { } parent
                ? Spec.Source is { } source
                    ? $"Image-to-image from image #{source.ImageId} of run #{parent}"
                    : $"More like a candidate of run #{parent} (a variation of its prompt and seed)"
                : "Adjusted";
            return from + (Run.Adjustment is null ? "" : $": “{Run.Adjustment}”");
        }
    }

    /// <summary>The inputs row is shown when the run had a source, references, or a background or quality other than auto.</summary>
    public bool ShowsInputs => Spec.Source is not null || Spec.References is { Count: > 0 } || Spec.Background != Backgrounds.Auto || Spec.Quality != Qualities.Auto;

    /// <summary>The facts line's words before the request ids: tokens, asked/sent size, the size and seed notes, the model version.</summary>
    public IReadOnlyList<string> FactParts => field ??= ListFactParts();

    /// <summary>The facts line is shown when the provider said anything it holds.</summary>
    public bool ShowsFacts => FactParts.Count > 0 || Facts?.RequestIds is { Count: > 0 };

    private List<string> ListFactParts()
    {
        var parts = new List<string>();
        if (Facts is not { } facts)
        {
            return parts;
        }
        if (facts.Usage is { } usage)
        {
            parts.Add($"{usage.TotalTokens.ToString("N0", CultureInfo.InvariantCulture)} tokens");
        }
        if (facts.SentSize is { } sent)
        {
            parts.Add($"asked {AskedSize}, sent {sent}");
        }
        if (facts.SizeNote is { } sizeNote)
        {
            parts.Add(sizeNote);
        }
        if (facts.SeedNote is { } seedNote)
        {
            parts.Add(seedNote);
        }
        if (facts.ModelVersion is { } version)
        {
            parts.Add($"model version {version}");
        }
        return parts;
    }

    /// <summary>Why the run stopped short, when images are missing: its error, else how many arrived.</summary>
    public string? MissingMessage => Run.Missing is { } missing
        ? Run.ErrorMessage ?? $"{Run.Images.Count} of {Run.Images.Count + missing} images arrived; {missing} missing."
        : null;

    /// <summary>Retry is offered on the latest run of a failed job that failed or stopped short.</summary>
    public bool OffersRetry { get; }

    /// <summary>The Retry button's accessible name and text: the missing images when there are some.</summary>
    public string RetryAriaLabel => $"Retry job #{Run.JobId}" + (Run.Missing is { } m ? $" for the {m} missing image(s)" : "");

    public string RetryText => "Retry" + (Run.Missing is { } m ? $" the {m} missing" : "");

    /// <summary>
    /// The history page's runs as cards. Retry belongs on the latest run of each job on the page (a job's runs are its
    /// attempts, and only the last one's outcome can be retried).
    /// </summary>
    public static IReadOnlyList<RunCard> Of(IReadOnlyList<RunView> runs)
    {
        var latest = runs.GroupBy(r => r.JobId).ToDictionary(g => g.Key, g => g.Max(r => r.Id));
        return runs.Select(r => new RunCard(r, latest[r.JobId] == r.Id)).ToList();
    }
}
