using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ImageGen.Web.Services;

/// <summary>
/// Renders brand Markdown to HTML that is safe to embed: raw HTML is escaped, and link or image targets other
/// than http(s), mailto and relative ones (javascript:, data:, …) are dropped. Headings move one level down, because
/// the page around the guide already has its own <c>h1</c> (the brand's name): a guide's "# Title" becomes an h2.
/// </summary>
public static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .DisableHtml()
        .Build();

    public static string ToSafeHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Min(heading.Level + 1, 6);
        }
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url))
            {
                link.Url = "#";
            }
        }
        foreach (var autolink in document.Descendants<AutolinkInline>())
        {
            if (!IsSafe(autolink.Url))
            {
                autolink.Url = "#";
            }
        }
        return document.ToHtml(Pipeline);
    }

    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }
        var trimmed = url.Trim();
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var absolute) && !absolute.IsFile)
        {
            return absolute.Scheme is "http" or "https" or "mailto";
        }
        // Relative: safe only if no colon comes before the path, query or fragment starts, so nothing a browser
        // could read as a scheme ("java\tscript:…") gets through.
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var delimiter = trimmed.IndexOfAny(['/', '?', '#']);
        return colon < 0 || (delimiter >= 0 && delimiter < colon);
    }
}
