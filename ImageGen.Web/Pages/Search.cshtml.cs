using System.ComponentModel.DataAnnotations;
using ImageGen.Core.Generation;
using ImageGen.Core.Iteration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ImageGen.Core.Storage;
using ImageGen.Core.Providers;

namespace ImageGen.Web.Pages;

/// <summary>Search work items and runs by prompt text; filter and sort candidates by star, score, brand check, model, run and date.</summary>
public sealed class SearchModel(CandidateSearch search, ModelRegistry models) : PageModel
{
    [FromQuery(Name = "q")] public string? Text { get; set; }
    [FromQuery(Name = "item"), Range(1, long.MaxValue, ErrorMessage = "it must be a work item id, 1 or more")] public long? WorkItemId { get; set; }
    [FromQuery(Name = "model")] public string? Model { get; set; }
    [FromQuery(Name = "run"), Range(1, long.MaxValue, ErrorMessage = "it must be a run id, 1 or more")] public long? RunId { get; set; }
    [FromQuery(Name = "starred")] public bool StarredOnly { get; set; }
    [FromQuery(Name = "sort")] public string Sort { get; set; } = "newest";
    [FromQuery(Name = "brand")] public string? Brand { get; set; }
    [FromQuery(Name = "page"), Range(0, SearchQuery.MaxPage, ErrorMessage = "it must be a page number from {1} to {2}")] public int PageNumber { get; set; }

    public IReadOnlyList<FoundWorkItem> WorkItems { get; private set; } = [];
    public IReadOnlyList<FoundCandidate> Candidates { get; private set; } = [];
    public bool HasMore { get; private set; }
    public IReadOnlyList<string> ModelIds { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ModelIds = models.List().Select(m => m.Id).ToList();
        if (!SearchQuery.Sorts.Contains(Sort))
        {
            Error = $"'{Sort}' is not a sort order; showing newest first.";
            Sort = "newest";
        }
        if (!BrandCheckText.TryParseFilter(Brand, out var brand))
        {
            Error = $"'{Brand}' is not a brand verdict ({BrandCheckText.FilterWords}); showing every candidate.";
            Brand = null;
        }
        if (Text?.Length > 200)
        {
            Error = "The search text is too long (at most 200 characters).";
            Text = Text[..200];
        }
        (WorkItems, Candidates, HasMore) = await search.SearchAsync(
            new SearchQuery(Text, WorkItemId, Model, RunId, StarredOnly, Sort, Math.Max(0, PageNumber)) { Brand = brand }, cancellationToken);
    }

    public string PageUrl(int page) => QueryString.Create(new Dictionary<string, string?>
    {
        ["q"] = Text, ["item"] = WorkItemId?.ToString(System.Globalization.CultureInfo.InvariantCulture), ["model"] = Model,
        ["run"] = RunId?.ToString(System.Globalization.CultureInfo.InvariantCulture), ["starred"] = StarredOnly ? "true" : null,
        ["sort"] = Sort, ["brand"] = Brand, ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent() is var query ? $"/search{query}" : "/search";
}
