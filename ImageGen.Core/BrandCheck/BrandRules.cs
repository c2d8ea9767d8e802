using System.Globalization;
using System.Text.RegularExpressions;
using ImageGen.Core.Catalog;
using ImageGen.Core.Imaging;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ImageGen.Core.BrandCheck;

/// <summary>
/// A brand's checkable rules, read from its Markdown by a forgiving convention (docs/BRAND-CHECK.md): every hex colour in the
/// text is a palette colour, except those on an "avoid" line; a section whose heading contains "rules" holds lines of
/// <c>key: value</c>, each for every type or for the types it names (<c>Icon background: transparent</c>,
/// <c>Background (icon, hero): transparent</c>). Lines it cannot read are kept in <see cref="Unread"/> to show the owner,
/// never guessed at.
/// </summary>
public sealed partial record BrandRules
{
    public IReadOnlyList<Rgb> Palette { get; init; } = [];
    public IReadOnlyList<Rgb> Avoid { get; init; } = [];

    /// <summary>Per key (background, aspect, min size, logo), per type ("" for every type): the value as read.</summary>
    private Dictionary<(string Key, string Type), object> Lines { get; init; } = [];

    /// <summary>The lines of the rules section that were read, as written, for the brand page.</summary>
    public IReadOnlyList<string> Read { get; init; } = [];

    /// <summary>Lines of the rules section that follow no known form, with why.</summary>
    public IReadOnlyList<string> Unread { get; init; } = [];

    /// <summary>Whether anything can be checked: a palette, colours to avoid, or a rule.</summary>
    public bool IsEmpty => Palette.Count == 0 && Avoid.Count == 0 && Lines.Count == 0;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseListExtras().UseEmphasisExtras().Build();

    /// <summary>The rules for <paramref name="workItemType"/>: its own lines first, then the brand's general lines, then the type's default.</summary>
    public TypeRules For(string workItemType)
    {
        T? Get<T>(string key) where T : class =>
            (Lines.GetValueOrDefault((key, workItemType)) ?? Lines.GetValueOrDefault((key, ""))) as T;
        var background = Get<BoxedBackground>(Keys.Background)?.Value ?? BackgroundRule.Any;
        var aspects = Get<IReadOnlyList<AspectRatio>>(Keys.Aspect);
        var fromType = false;
        if (aspects is null && workItemType == "icon")
        {
            aspects = [new AspectRatio(1, 1)];
            fromType = true;
        }
        var size = Get<BoxedSize>(Keys.MinSize);
        var logo = Get<BoxedBool>(Keys.Logo)?.Value ?? false;
        return new TypeRules(background, aspects ?? [], size?.Width, size?.Height, logo, fromType);
    }

    public static BrandRules Parse(string markdown)
    {
        var document = Markdown.Parse(markdown ?? "", Pipeline);
        var lines = new Dictionary<(string, string), object>();
        var read = new List<string>();
        var unread = new List<string>();
        var avoid = new List<Rgb>();
        int? rulesLevel = null;
        foreach (var block in document.Descendants())
        {
            if (block is HeadingBlock heading)
            {
                var title = Text(heading.Inline);
                if (rulesLevel is { } level && heading.Level <= level)
                {
                    rulesLevel = null;
                }
                if (rulesLevel is null && title.Contains("rules", StringComparison.OrdinalIgnoreCase))
                {
                    rulesLevel = heading.Level;
                }
                continue;
            }
            if (block is not ParagraphBlock paragraph)
            {
                continue;
            }
            foreach (var raw in Text(paragraph.Inline).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                // An avoid line anywhere takes its colours out of the palette; other rules only count inside the section.
                var line = raw.TrimStart('-', '*', '+', ' ');
                var parsed = ParseLine(line);
                if (parsed is { Key: Keys.Avoid })
                {
                    if (parsed.Value.Value is IReadOnlyList<Rgb> colours)
                    {
                        avoid.AddRange(colours.Where(c => !avoid.Contains(c)));
                        read.Add(line);
                    }
                    else if (rulesLevel is not null)
                    {
                        unread.Add($"{line} (no hex colours, e.g. #ff0000)");
                    }
                    continue;
                }
                if (rulesLevel is null)
                {
                    continue;
                }
                switch (parsed)
                {
                    case null:
                        unread.Add($"{line} (not a \"key: value\" line this check knows)");
                        break;
                    case { Error: { } error }:
                        unread.Add($"{line} ({error})");
                        break;
                    case var (key, types, value, _):
                        foreach (var type in types.Count == 0 ? [""] : types)
                        {
                            lines[(key, type)] = value!;
                        }
                        read.Add(line);
                        break;
                }
            }
        }
        var palette = Imaging.Palette.FromText(markdown ?? "").Where(c => !avoid.Contains(c)).ToList();
        return new BrandRules { Palette = palette, Avoid = avoid, Lines = lines, Read = read, Unread = unread };
    }

    private static class Keys
    {
        public const string Avoid = "avoid";
        public const string Background = "background";
        public const string Aspect = "aspect";
        public const string MinSize = "min size";
        public const string Logo = "logo";
    }

    private sealed record BoxedBackground(BackgroundRule Value);

    private sealed record BoxedSize(int Width, int Height);

    private sealed record BoxedBool(bool Value);

    private readonly record struct ParsedLine(string Key, IReadOnlyList<string> Types, object? Value, string? Error);

    [GeneratedRegex(@"^(?<key>[^:()]+?)\s*(\((?<types>[^)]*)\))?\s*:\s*(?<value>.+)$")]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"(?<w>\d{1,3})\s*[:x×/]\s*(?<h>\d{1,3})")]
    private static partial Regex Ratio();

    [GeneratedRegex(@"^(?<w>\d{1,5})(\s*[x×]\s*(?<h>\d{1,5}))?\s*(px)?$")]
    private static partial Regex Size();

    /// <summary>One "key: value" line, or null when it is not one. Keys are matched by their words, so "Avoid colours",
    /// "Colours to avoid" and "Never use" are one key.</summary>
    private static ParsedLine? ParseLine(string line)
    {
        var match = KeyValue().Match(line);
        if (!match.Success)
        {
            return null;
        }
        var words = match.Groups["key"].Value.ToLowerInvariant().Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries).ToList();
        var types = new List<string>();
        foreach (var word in words.ToList())
        {
            if (TypeOf(word) is { } type)
            {
                types.Add(type);
                words.Remove(word);
            }
        }
        foreach (var named in match.Groups["types"].Value.Split([',', '/', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (TypeOf(named.ToLowerInvariant()) is not { } type)
            {
                return new ParsedLine("", [], null, $"'{named}' is not a work item type: {string.Join(", ", WorkItemTypes.All)}");
            }
            types.Add(type);
        }
        var value = match.Groups["value"].Value.Trim().TrimEnd('.');
        var lower = value.ToLowerInvariant();
        var key = string.Join(' ', words);
        if (words.Any(w => w is "avoid" or "forbidden" or "banned") || key.StartsWith("never", StringComparison.Ordinal) || key.StartsWith("do not", StringComparison.Ordinal))
        {
            var colours = Imaging.Palette.FromText(value);
            return new ParsedLine(Keys.Avoid, types, colours.Count > 0 ? colours : null, null);
        }
        if (words.Contains("background") || words.Contains("backdrop"))
        {
            BackgroundRule? rule = lower switch
            {
                _ when lower.StartsWith("transparent", StringComparison.Ordinal) || lower is "none" or "alpha" => BackgroundRule.Transparent,
                _ when lower.StartsWith("solid", StringComparison.Ordinal) || lower.StartsWith("plain", StringComparison.Ordinal) || lower.StartsWith("flat", StringComparison.Ordinal) => BackgroundRule.Solid,
                "any" or "anything" or "free" => BackgroundRule.Any,
                _ => null,
            };
            return rule is { } r
                ? new ParsedLine(Keys.Background, types, new BoxedBackground(r), null)
                : new ParsedLine("", [], null, "a background is transparent, solid or any");
        }
        if (words.Any(w => w.StartsWith("aspect", StringComparison.Ordinal) || w.StartsWith("ratio", StringComparison.Ordinal)))
        {
            var ratios = Ratio().Matches(value)
                .Select(m => (W: int.Parse(m.Groups["w"].Value, CultureInfo.InvariantCulture), H: int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture)))
                .ToList();
            if (ratios.Count == 0 || ratios.Any(r => r.W == 0 || r.H == 0 || r.W > 100 || r.H > 100))
            {
                return new ParsedLine("", [], null, "ratios are written like 1:1, 16:9 (each side 1–100)");
            }
            return new ParsedLine(Keys.Aspect, types, ratios.Select(r => new AspectRatio(r.W, r.H)).Distinct().ToList(), null);
        }
        if ((words.Contains("size") || words.Contains("resolution")) && (words.Any(w => w.StartsWith("min", StringComparison.Ordinal)) || words.Contains("least")))
        {
            var size = Size().Match(lower);
            var w = size.Success ? int.Parse(size.Groups["w"].Value, CultureInfo.InvariantCulture) : 0;
            var h = size.Success && size.Groups["h"].Success ? int.Parse(size.Groups["h"].Value, CultureInfo.InvariantCulture) : w;
            return w is >= 1 and <= ImageSizeLimit && h is >= 1 and <= ImageSizeLimit
                ? new ParsedLine(Keys.MinSize, types, new BoxedSize(w, h), null)
                : new ParsedLine("", [], null, $"a minimum size is written like 1024x1024 or 512 (1–{ImageSizeLimit} px)");
        }
        if (words.Contains("logo"))
        {
            bool? required = lower switch
            {
                _ when lower.StartsWith("required", StringComparison.Ordinal) || lower.StartsWith("must", StringComparison.Ordinal)
                    || lower.StartsWith("always", StringComparison.Ordinal) || lower is "yes" or "true" => true,
                _ when lower.StartsWith("optional", StringComparison.Ordinal) || lower.StartsWith("not required", StringComparison.Ordinal) || lower is "no" or "false" => false,
                _ => null,
            };
            return required is { } value2
                ? new ParsedLine(Keys.Logo, types, new BoxedBool(value2), null)
                : new ParsedLine("", [], null, "a logo is required or optional");
        }
        return null;
    }

    /// <summary>Largest side a minimum-size rule may name: the largest image any model here makes.</summary>
    public const int ImageSizeLimit = 16_384;

    private static string? TypeOf(string word)
    {
        var singular = word.EndsWith('s') ? word[..^1] : word;
        return WorkItemTypes.All.FirstOrDefault(t => t == word || t == singular);
    }

    private static string Text(ContainerInline? inline)
    {
        if (inline is null)
        {
            return "";
        }
        var text = new System.Text.StringBuilder();
        foreach (var child in inline.Descendants<Inline>())
        {
            switch (child)
            {
                case LiteralInline literal:
                    text.Append(literal.Content);
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline:
                    text.Append('\n');
                    break;
            }
        }
        return text.ToString();
    }
}
