using System.Reflection;
using ImageGen.Testing;
using NetArchTest.Rules;

namespace ImageGen.Core.Tests.Architecture;

/// <summary>
/// Core's folders are layers, each namespace depending only on those below it (docs/ARCHITECTURE.md, "Layers"):
/// a new upward or circular reference fails here with the types that make it. Database drivers and Dapper are used in
/// Storage only.
/// </summary>
public sealed class LayerFacts
{
    private static readonly Assembly Core = typeof(DataRoot).Assembly;

    /// <summary>
    /// Core's namespaces from the bottom up; each may use those before it, never one after it. <c>ImageGen.Core</c> itself
    /// (the data folder, slugs, the worker's access and status) is the bottom, and means that namespace alone.
    /// </summary>
    public static IReadOnlyList<string> Layers { get; } =
    [
        Root,
        "ImageGen.Core.Spec",
        "ImageGen.Core.Telemetry",
        "ImageGen.Core.Catalog",
        "ImageGen.Core.Files",
        "ImageGen.Core.Imaging",
        "ImageGen.Core.BrandCheck",
        "ImageGen.Core.Providers",
        "ImageGen.Core.Assets",
        "ImageGen.Core.Queue",
        "ImageGen.Core.Iteration",
        "ImageGen.Core.Generation",
        "ImageGen.Core.Storage",
        "ImageGen.Core.Hosting",
    ];

    private const string Root = "ImageGen.Core";

    public static TheoryData<string> EachLayer => [.. Layers];

    private static PredicateList InLayer(string layer) => layer == Root
        ? Types.InAssembly(Core).That().ResideInNamespaceMatching(@"^ImageGen\.Core$")
        : Types.InAssembly(Core).That().ResideInNamespace(layer);

    [Theory]
    [MemberData(nameof(EachLayer))]
    public void ALayer_UsesNoLayerAboveIt(string layer)
    {
        var above = Layers.SkipWhile(l => l != layer).Skip(1).ToArray();
        if (above.Length == 0)
        {
            return;
        }
        var result = InLayer(layer).ShouldNot().HaveDependencyOnAny(above).GetResult();
        Assert.True(result.IsSuccessful, $"{layer} uses a layer above it: {Describe(result, above)}");
    }

    [Fact]
    public void EveryNamespace_IsALayer()
    {
        var namespaces = Core.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith("ImageGen.Core", StringComparison.Ordinal) && !n.StartsWith("System", StringComparison.Ordinal))
            .Distinct().Order().ToList();
        var unplaced = namespaces.Where(n => !Layers.Any(l => n == l || (l != Root && n.StartsWith(l + ".", StringComparison.Ordinal)))).ToList();
        Assert.True(unplaced.Count == 0, $"Not in a layer (add to LayerFacts.Layers and ARCHITECTURE.md): {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void DriversAndDapper_AreUsedInStorageOnly()
    {
        var result = Types.InAssembly(Core).That().DoNotResideInNamespace("ImageGen.Core.Storage")
            .ShouldNot().HaveDependencyOnAny("Dapper", "Npgsql", "Microsoft.Data.Sqlite", "System.Data").GetResult();
        Assert.True(result.IsSuccessful, $"Outside Storage: {Describe(result, ["Dapper", "Npgsql", "Microsoft.Data.Sqlite", "System.Data"])}");
    }

    [Fact]
    public void ArchitectureMd_NamesTheLayers_InThisOrder()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "ARCHITECTURE.md"));
        var start = doc.IndexOf("## Layers", StringComparison.Ordinal);
        Assert.True(start >= 0, "ARCHITECTURE.md has no \"## Layers\" section.");
        var section = doc[start..doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal)];
        var paragraph = section[..section.IndexOf("LayerFacts", StringComparison.Ordinal)];
        // Each layer by its last name (the root as `ImageGen.Core`), in the order the test holds.
        var positions = Layers.Select(l => (Layer: l, At: l == Root
            ? paragraph.IndexOf("`ImageGen.Core`", StringComparison.Ordinal)
            : paragraph.IndexOf(l[(Root.Length + 1)..], StringComparison.Ordinal))).ToList();
        Assert.All(positions, p => Assert.True(p.At >= 0, $"The Layers section does not name {p.Layer}."));
        Assert.Equal(positions.Select(p => p.Layer), positions.OrderBy(p => p.At).Select(p => p.Layer));
    }

    /// <summary>The failing types and, for each, the namespaces of the rule it uses.</summary>
    private static string Describe(NetArchTest.Rules.TestResult result, string[] forbidden) =>
        string.Join("; ", (result.FailingTypes ?? []).Select(t => t.FullName ?? t.Name).Order());
}
