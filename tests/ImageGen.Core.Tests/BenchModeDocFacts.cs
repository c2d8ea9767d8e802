using System.Text.RegularExpressions;
using ImageGen.Testing;

namespace ImageGen.Core.Tests;

/// <summary>
/// docs/ARCHITECTURE.md's components entry for bench/ImageGen.Bench names every mode its Program.cs accepts, and only
/// those: read from the source, since the bench is a program of its own that no test project references.
/// </summary>
public sealed partial class BenchModeDocFacts
{
    /// <summary>An arm of Program.cs's switch on the first argument: <c>"queue" =&gt;</c> or <c>"wake" when …</c>.</summary>
    [GeneratedRegex(@"^\s*""(?<mode>[a-z-]+)""\s*(?:=>|when\b)", RegexOptions.Multiline)]
    private static partial Regex Arm();

    [GeneratedRegex(@"`(?<mode>[a-z-]+)`")]
    private static partial Regex Quoted();

    [Fact]
    public void TheArchitectureDoc_ListsEveryBenchMode()
    {
        var program = File.ReadAllText(Path.Combine(RepoPaths.Root, "bench", "ImageGen.Bench", "Program.cs"));
        var modes = Arm().Matches(program).Select(m => m.Groups["mode"].Value).Order(StringComparer.Ordinal).ToList();
        Assert.True(modes.Count >= 10, $"Program.cs's switch was not found ({modes.Count} modes read).");

        var doc = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "ARCHITECTURE.md"));
        var entry = doc.SkipWhile(l => !l.StartsWith("bench/ImageGen.Bench ", StringComparison.Ordinal))
            .TakeWhile((l, i) => i == 0 || l.StartsWith(' ')).ToList();
        Assert.NotEmpty(entry);
        var documented = entry.SelectMany(l => Quoted().Matches(l).Select(m => m.Groups["mode"].Value)).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(modes, documented);
    }
}
