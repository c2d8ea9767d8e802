using System.Text.RegularExpressions;
using ImageGen.Testing;

namespace ImageGen.Core.Tests;

/// <summary>
/// docs/TESTING.md's table of test projects names every test class (<c>…Facts</c>, <c>…Journey</c>) under tests/, in the
/// row of the project that holds it: a new class fails here until the table says what it covers. A backend's subclass
/// (<c>SqliteX</c>, <c>PostgresX</c> of an abstract <c>X</c>) is covered by its base's name.
/// </summary>
public sealed partial class TestingDocFacts
{
    [GeneratedRegex(@"\bclass (?<name>\w+(?:Facts|Journey))\b")]
    private static partial Regex TestClass();

    [GeneratedRegex(@"^\| `(?<project>ImageGen\.\w+(?:\.\w+)*)` \| (?<covers>.+) \|$", RegexOptions.Multiline)]
    private static partial Regex ProjectRow();

    [Fact]
    public void TheProjectTable_NamesEveryTestClass_InItsProjectsRow()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "TESTING.md")).ReplaceLineEndings("\n");
        var rows = ProjectRow().Matches(doc).ToDictionary(m => m.Groups["project"].Value, m => m.Groups["covers"].Value, StringComparer.Ordinal);
        var testsFolder = Path.Combine(RepoPaths.Root, "tests");
        var projects = Directory.GetDirectories(testsFolder, "ImageGen.*Tests").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(projects, rows.Keys.Order(StringComparer.Ordinal));
        var missing = new List<string>();
        foreach (var project in projects)
        {
            var classes = Directory.EnumerateFiles(Path.Combine(testsFolder, project!), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .SelectMany(f => TestClass().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value))
                .ToHashSet(StringComparer.Ordinal);
            var named = classes.Where(c => !(c.StartsWith("Sqlite", StringComparison.Ordinal) && classes.Contains(c["Sqlite".Length..]))
                && !(c.StartsWith("Postgres", StringComparison.Ordinal) && classes.Contains(c["Postgres".Length..])));
            missing.AddRange(named.Where(c => !rows[project!].Contains($"`{c}`", StringComparison.Ordinal)).Select(c => $"{project}: {c}"));
        }

        Assert.True(missing.Count == 0, $"docs/TESTING.md does not name these test classes in their project's row: {string.Join(", ", missing.Order(StringComparer.Ordinal))}");
    }
}
