namespace ImageGen.Web;

/// <summary>Keyset paging links: "Newest" back to the first page, "Older" to the page after <see cref="NextBefore"/>.</summary>
public sealed record Pager(string BaseUrl, long? NextBefore, bool IsFirstPage)
{
    public string? NextUrl => NextBefore is { } before ? $"{BaseUrl}{(BaseUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?')}before={before}" : null;
}
