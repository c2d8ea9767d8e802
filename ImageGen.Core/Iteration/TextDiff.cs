using System.Text.RegularExpressions;

namespace ImageGen.Core.Iteration;

public enum DiffKind
{
    Same,
    Removed,
    Added,
}

public sealed record DiffPiece(DiffKind Kind, string Text);

/// <summary>
/// A longest-common-subsequence diff over words and the whitespace between them (separate tokens, so a word that
/// gains text after it is not shown as changed), falling back to lines when both texts
/// are long, so a 100 KB brand guide cannot make a 10⁹-cell table.
/// </summary>
public static partial class TextDiff
{
    private const long MaxCells = 4_000_000;

    [GeneratedRegex(@"\S+|\s+")]
    private static partial Regex Words();

    [GeneratedRegex(@"[^\n]*\n|[^\n]+")]
    private static partial Regex Lines();

    public static IReadOnlyList<DiffPiece> Compare(string before, string after)
    {
        var a = Tokens(Words(), before);
        var b = Tokens(Words(), after);
        if ((long)a.Count * b.Count > MaxCells)
        {
            (a, b) = (Tokens(Lines(), before), Tokens(Lines(), after));
        }
        return (long)a.Count * b.Count > MaxCells
            ? [new DiffPiece(DiffKind.Removed, before), new DiffPiece(DiffKind.Added, after)]
            : Lcs(a, b);
    }

    private static List<string> Tokens(Regex pattern, string text) => pattern.Matches(text).Select(m => m.Value).ToList();

    private static List<DiffPiece> Lcs(List<string> a, List<string> b)
    {
        var table = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                table[i, j] = a[i] == b[j] ? table[i + 1, j + 1] + 1 : Math.Max(table[i + 1, j], table[i, j + 1]);
            }
        }
        var pieces = new List<DiffPiece>();
        void Add(DiffKind kind, string text)
        {
            if (pieces.Count > 0 && pieces[^1].Kind == kind)
            {
                pieces[^1] = pieces[^1] with { Text = pieces[^1].Text + text };
            }
            else
            {
                pieces.Add(new DiffPiece(kind, text));
            }
        }
        int x = 0, y = 0;
        while (x < a.Count && y < b.Count)
        {
            if (a[x] == b[y])
            {
                Add(DiffKind.Same, a[x++]);
                y++;
            }
            else if (table[x + 1, y] >= table[x, y + 1])
            {
                Add(DiffKind.Removed, a[x++]);
            }
            else
            {
                Add(DiffKind.Added, b[y++]);
            }
        }
        while (x < a.Count)
        {
            Add(DiffKind.Removed, a[x++]);
        }
        while (y < b.Count)
        {
            Add(DiffKind.Added, b[y++]);
        }
        return pieces;
    }
}
