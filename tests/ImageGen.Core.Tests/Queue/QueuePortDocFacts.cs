using System.Reflection;
using System.Text.RegularExpressions;
using ImageGen.Core.Queue;
using ImageGen.Testing;

namespace ImageGen.Core.Tests.Queue;

/// <summary>
/// docs/QUEUE.md lists <see cref="IJobQueue"/>'s members and names the files beside it: a member added to the port (a read,
/// a run or secrets chore) or a file moved without the page fails here.
/// </summary>
public sealed partial class QueuePortDocFacts
{
    private static string Doc() => File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "QUEUE.md")).ReplaceLineEndings(" ");

    [GeneratedRegex(@"its members: (?<list>[^;]+);")]
    private static partial Regex MemberList();

    [GeneratedRegex(@"`(?<name>\w+)`")]
    private static partial Regex Name();

    [GeneratedRegex(@"`(?:ImageGen\.Core/)?(?<path>(?:Queue|Generation|Storage)/[\w/]+\.cs)`")]
    private static partial Regex CorePath();

    [Fact]
    public void TheListedMembers_AreTheInterface()
    {
        var list = MemberList().Match(Doc());
        Assert.True(list.Success, "QUEUE.md no longer lists IJobQueue's members ('its members: …;').");
        var documented = Name().Matches(list.Groups["list"].Value).Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal);

        var port = typeof(IJobQueue);
        var actual = port.GetMethods().Where(m => !m.IsSpecialName).Select(m => m.Name)
            .Concat(port.GetProperties().Select(p => p.Name))
            .Distinct()
            .Order(StringComparer.Ordinal);

        Assert.Equal(actual, documented);
    }

    [Fact]
    public void EveryCoreFileTheDocNames_Exists()
    {
        var paths = CorePath().Matches(Doc()).Select(m => m.Groups["path"].Value).Distinct().ToList();

        Assert.Contains("Storage/Sql/SqlRunCloser.cs", paths);
        Assert.Contains("Storage/Sql/StoredSecretScrubber.cs", paths);
        Assert.All(paths, path => Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "ImageGen.Core", path)), $"QUEUE.md names ImageGen.Core/{path}, which does not exist."));
    }
}
