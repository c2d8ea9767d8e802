using ImageGen.Core.Iteration;

namespace ImageGen.Core.Tests.Iteration;

public sealed class TextDiffFacts
{
    [Fact]
    public void Compare_MarksRemovedAndAddedWords_AndKeepsTheRest()
    {
        var diff = TextDiff.Compare("a warm cup on a table", "a cold cup on a wooden table");

        Assert.Equal(
            [(DiffKind.Same, "a "), (DiffKind.Removed, "warm"), (DiffKind.Added, "cold"), (DiffKind.Same, " cup on a "), (DiffKind.Added, "wooden "), (DiffKind.Same, "table")],
            diff.Select(p => (p.Kind, p.Text)));
        Assert.Equal("a cold cup on a wooden table", string.Concat(diff.Where(p => p.Kind != DiffKind.Removed).Select(p => p.Text)));
    }

    [Fact]
    public void Compare_AWordThatGainsTextAfterIt_IsNotShownAsChanged()
    {
        var diff = TextDiff.Compare("Constraints:\nno text", "Constraints:\nno text\n\nAdjustment:\nwarmer");

        Assert.Equal(
            [(DiffKind.Same, "Constraints:\nno text"), (DiffKind.Added, "\n\nAdjustment:\nwarmer")],
            diff.Select(p => (p.Kind, p.Text)));
    }

    [Fact]
    public void Compare_EqualTexts_AreOneSamePiece()
    {
        Assert.Equal([new DiffPiece(DiffKind.Same, "same text")], TextDiff.Compare("same text", "same text"));
    }

    [Fact]
    public void Compare_HugeTexts_FallBackToLinesAndStillRebuildBothSides()
    {
        var before = string.Join("\n", Enumerable.Range(0, 3000).Select(i => $"line {i} with several words in it"));
        var after = before.Replace("line 1500 with", "line 1500 now with", StringComparison.Ordinal);

        var diff = TextDiff.Compare(before, after);

        Assert.Equal(before, string.Concat(diff.Where(p => p.Kind != DiffKind.Added).Select(p => p.Text)));
        Assert.Equal(after, string.Concat(diff.Where(p => p.Kind != DiffKind.Removed).Select(p => p.Text)));
        Assert.Single(diff, p => p.Kind == DiffKind.Added);
    }
}
