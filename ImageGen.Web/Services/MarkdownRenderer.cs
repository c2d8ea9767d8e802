using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ImageGen.Web.Services;

/// <summary>
/// Renders brand Markdown to HTML that is safe to embed, on its own rather than only behind the CSP:
/// <list type="bullet">
/// <item>only the extensions a style guide needs (tables, task lists, emphasis extras, footnotes, definition lists,
/// heading ids, links from bare URLs); never generic attributes (<c>{onclick=…}</c>), media embeds (an
/// <c>&lt;iframe&gt;</c> from a video link), custom containers or raw HTML, which is escaped;</item>
/// <item>every attribute left on the tree is checked against an allow-list: an id or class of plain word characters,
/// nothing else;</item>
/// <item>a link or image whose target is not http(s), mailto or relative (<c>javascript:</c>, <c>data:</c>, …) becomes its
/// plain text, not a dead link that looks live;</item>
/// <item>an image on another site becomes a link to it (the CSP would show it broken).</item>
/// </list>
/// Headings move one level down, because the page around the guide already has its own <c>h1</c> (the brand's name).
/// </summary>
public static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseGridTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseListExtras()
        .UseDefinitionLists()
        .UseFootnotes()
        .UseAutoIdentifiers()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    public static string ToSafeHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Min(heading.Level + 1, 6);
        }
        foreach (var link in document.Descendants<LinkInline>().Where(l => !IsSafe(l.Url)).ToList())
        {
            link.ReplaceBy(new LiteralInline(TextOf(link)), copyChildren: false);
        }
        foreach (var image in document.Descendants<LinkInline>().Where(l => l.IsImage && IsAbsoluteWeb(l.Url)).ToList())
        {
            // The CSP allows images from this app only, so an image elsewhere would show as broken: link to it instead.
            image.IsImage = false;
        }
        foreach (var autolink in document.Descendants<AutolinkInline>().Where(l => !IsSafe(l.Url)).ToList())
        {
            autolink.ReplaceBy(new LiteralInline(autolink.Url), copyChildren: false);
        }
        foreach (var node in document.Descendants())
        {
            StripAttributes(node.TryGetAttributes());
        }
        return document.ToHtml(Pipeline);
    }

    private static void StripAttributes(HtmlAttributes? attributes)
    {
        if (attributes is null)
        {
            return;
        }
        attributes.Properties?.Clear();
        attributes.Classes?.RemoveAll(c => !IsPlainName(c));
        if (attributes.Id is { } id && !IsPlainName(id))
        {
            attributes.Id = null;
        }
    }

    private static bool IsPlainName(string value) =>
        value.Length is > 0 and <= 100 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '.');

    private static string TextOf(ContainerInline container) =>
        string.Concat(container.Descendants<Inline>().Select(i => i switch
        {
            LiteralInline literal => literal.Content.ToString(),
            CodeInline code => code.Content,
            _ => "",
        }));

    private static bool IsAbsoluteWeb(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https";

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
