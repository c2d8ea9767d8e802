using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ImageGen.Core.Generation;
using ImageGen.Testing;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Tests.Generation;

/// <summary>
/// README.md's "Exit codes:" line lists every code <see cref="ExitCodes"/> declares and no other: a code added to the CLI
/// (as 5, worker gone, once was) fails here until the README says what it means.
/// </summary>
public sealed partial class ExitCodeDocFacts
{
    /// <summary>A code and its meaning, e.g. <c>4 transient error</c>; parenthesised remarks are dropped first.</summary>
    [GeneratedRegex(@"(?:^|, )(?<code>\d+) [a-z]")]
    private static partial Regex Code();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Remark();

    [Fact]
    public void TheReadmesExitCodes_AreTheExitCodesConstants()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).ReplaceLineEndings("\n");
        var paragraph = readme.Split("\n\n").Single(p => p.StartsWith("Exit codes: ", StringComparison.Ordinal));
        var list = Remark().Replace(paragraph["Exit codes: ".Length..].ReplaceLineEndings(" "), "");
        list = list[..list.IndexOf('.', StringComparison.Ordinal)];

        var documented = Code().Matches(list).Select(m => int.Parse(m.Groups["code"].Value, CultureInfo.InvariantCulture)).ToList();
        var declared = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int)).Select(f => (int)f.GetRawConstantValue()!).Order().ToList();

        Assert.Equal(declared, documented);
    }
}
