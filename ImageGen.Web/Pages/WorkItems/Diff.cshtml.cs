using System.Text.Json;
using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Iteration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;
using ImageGen.Core.Spec;

namespace ImageGen.Web.Pages.WorkItems;

/// <summary>What changed between two runs of a work item: composed prompt (by word), settings, model and brand text revision.</summary>
public sealed class DiffModel(CatalogStore catalog, RunQueries runs) : PageModel
{
    [FromQuery(Name = "a"), System.ComponentModel.DataAnnotations.Range(1, long.MaxValue, ErrorMessage = "it must be a run id, 1 or more")] public long? A { get; set; }
    [FromQuery(Name = "b"), System.ComponentModel.DataAnnotations.Range(1, long.MaxValue, ErrorMessage = "it must be a run id, 1 or more")] public long? B { get; set; }

    public WorkItemDetail Item { get; private set; } = null!;
    public IReadOnlyList<RunView> History { get; private set; } = [];
    public RunQueries.RunForDiff? Before { get; private set; }
    public RunQueries.RunForDiff? After { get; private set; }
    public IReadOnlyList<DiffPiece> Prompt { get; private set; } = [];
    public IReadOnlyList<DiffPiece> Brand { get; private set; } = [];
    public IReadOnlyList<(string Key, string? Before, string? After)> Settings { get; private set; } = [];
    public string? Error { get; private set; }
    public string ItemUrl => $"/projects/{Item.ProjectSlug}/items/{Item.Slug}";

    public async Task<IActionResult> OnGetAsync(string project, string item, CancellationToken cancellationToken)
    {
        if (await catalog.GetWorkItemAsync(project, item, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        Item = found;
        History = await runs.ForWorkItemAsync(found.Id, cancellationToken);
        A ??= History.Count > 1 ? History[1].Id : null;
        B ??= History.Count > 0 ? History[0].Id : null;
        if (A is null || B is null)
        {
            Error = "There is nothing to compare yet: this work item needs two runs.";
            return Page();
        }
        Before = await runs.GetForDiffAsync(A.Value, cancellationToken);
        After = await runs.GetForDiffAsync(B.Value, cancellationToken);
        if (Before?.WorkItemId != found.Id || After?.WorkItemId != found.Id)
        {
            Error = "Both runs must belong to this work item.";
            Before = After = null;
            return Page();
        }
        Prompt = TextDiff.Compare(Before.Prompt, After.Prompt);
        Brand = TextDiff.Compare(Before.BrandText ?? "", After.BrandText ?? "");
        var before = Flatten(Before.Spec, History.FirstOrDefault(r => r.Id == A));
        var after = Flatten(After.Spec, History.FirstOrDefault(r => r.Id == B));
        Settings = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(k => (k, before.GetValueOrDefault(k), after.GetValueOrDefault(k))).ToList();
        return Page();
    }

    /// <summary>A run's settings, plus what else shaped it: the adjustment, the run it came from, and its cost.</summary>
    private static Dictionary<string, string?> Flatten(JobSpec spec, RunView? run)
    {
        var values = spec.Describe().ToDictionary(p => p.Key, p => (string?)p.Value);
        values["adjustment"] = run?.Adjustment;
        values["parent run"] = run?.ParentRunId is { } parent ? $"#{parent}" : null;
        values["cost"] = run is null ? null : Format.Usd(run.CostUsd);
        return values;
    }
}
