using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ImageGen.Core.Generation;

/// <summary>
/// Turns a brand's Markdown into plain prompt text that every server reads the same way: headings become a line ending in
/// a colon, list items a line starting with "- ", table rows a line of "column: value" pairs, links their text, emphasis
/// and code their words, images their alt text; raw HTML and addresses are dropped. No <c>|</c> survives (LocalAI and others read what follows
/// one as a negative prompt): the composer replaces any left in the text with "/". Parsed with Markdig, the renderer the
/// brand page uses, so the text follows the same reading of the Markdown.
/// </summary>
public static class PromptText
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseGridTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseListExtras()
        .Build();

    public static string Flatten(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var lines = new List<string>();
        foreach (var block in document)
        {
            AddBlock(block, lines, listDepth: 0);
        }
        return string.Join("\n", lines.Where(l => l.Length > 0));
    }

    private static void AddBlock(Block block, List<string> lines, int listDepth)
    {
        switch (block)
        {
            case HeadingBlock heading:
                var title = Inline(heading.Inline);
                lines.Add(title.Length == 0 || char.IsPunctuation(title[^1]) ? title : title + ":");
                break;
            case ParagraphBlock paragraph:
                lines.Add(Inline(paragraph.Inline));
                break;
            case ListBlock list:
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var itemLines = new List<string>();
                    foreach (var child in item)
                    {
                        AddBlock(child, itemLines, listDepth + 1);
                    }
                    var indent = new string(' ', listDepth * 2);
                    for (var i = 0; i < itemLines.Count; i++)
                    {
                        lines.Add(i == 0 ? $"{indent}- {itemLines[i].TrimStart()}" : itemLines[i]);
                    }
                }
                break;
            case Table table:
                var rows = table.OfType<TableRow>().ToList();
                var header = rows.FirstOrDefault(r => r.IsHeader);
                var names = header?.OfType<TableCell>().Select(Cell).ToList() ?? [];
                foreach (var row in rows.Where(r => !r.IsHeader))
                {
                    var cells = row.OfType<TableCell>().Select(Cell).ToList();
                    lines.Add(string.Join("; ", cells.Select((value, i) => i < names.Count && names[i].Length > 0 ? $"{names[i]}: {value}" : value)
                        .Where(c => c.Length > 0)));
                }
                break;
            case CodeBlock code:
                lines.AddRange(code.Lines.Lines.Take(code.Lines.Count).Select(l => l.ToString().Trim()));
                break;
            case ContainerBlock container:
                // Quotes, footnotes and other containers: their text.
                foreach (var child in container)
                {
                    AddBlock(child, lines, listDepth);
                }
                break;
            case LeafBlock leaf when leaf.Inline is not null:
                lines.Add(Inline(leaf.Inline));
                break;
        }
    }

    private static string Cell(TableCell cell)
    {
        var parts = new List<string>();
        foreach (var child in cell)
        {
            AddBlock(child, parts, 0);
        }
        return string.Join(" ", parts);
    }

    private static string Inline(ContainerInline? container)
    {
        if (container is null)
        {
            return "";
        }
        var text = new StringBuilder();
        foreach (var inline in container)
        {
            AppendInline(inline, text);
        }
        return string.Join(' ', text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static void AppendInline(Inline inline, StringBuilder text)
    {
        switch (inline)
        {
            case LiteralInline literal:
                text.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case LineBreakInline:
                text.Append(' ');
                break;
            case AutolinkInline autolink:
                text.Append(autolink.Url);
                break;
            case LinkInline { IsImage: true } image:
                // An image's words are its alt text; its address means nothing to a model.
                foreach (var child in image)
                {
                    AppendInline(child, text);
                }
                break;
            case ContainerInline container:
                foreach (var child in container)
                {
                    AppendInline(child, text);
                }
                break;
        }
    }
}
