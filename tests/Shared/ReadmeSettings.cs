using System.Text.RegularExpressions;

namespace ImageGen.Testing;

/// <summary>
/// The provider and CLI variables README.md's settings table ("Data and configuration") names, so tests can hold the code
/// to what the README promises; and a valid value for any one of them, to set it and see it arrive.
/// </summary>
public static partial class ReadmeSettings
{
    /// <summary>Variables the table names that are not provider or CLI settings: the data folder is the AppHost's own (and ImageGen:DataDir for each process).</summary>
    public static readonly IReadOnlySet<string> NotProviderSettings = new HashSet<string>(StringComparer.Ordinal) { "IMAGEGEN_DATA_DIR" };

    /// <summary>Every environment-variable name in backticks in the settings table's rows (<c>Worker:Concurrency</c>-style keys are not variables).</summary>
    public static IReadOnlyList<string> ProviderVariables()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md"));
        var section = lines.SkipWhile(l => l != "## Data and configuration").Skip(1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal));
        var rows = section.Where(l => l.StartsWith('|')).ToList();
        if (rows.Count < 3)
        {
            throw new InvalidOperationException("README.md has no settings table under '## Data and configuration'.");
        }
        return rows.SelectMany(r => Variable().Matches(r).Select(m => m.Groups[1].Value))
            .Where(v => !NotProviderSettings.Contains(v)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// A value <paramref name="check"/> accepts (it returns null for a good value, else why not), unique to
    /// <paramref name="variable"/> where the setting takes text, so a test can tell which setting arrived where.
    /// </summary>
    public static string SampleValue(string variable, Func<string, string?> check)
    {
        string[] candidates = [$"http://127.0.0.1:9/{variable.ToLowerInvariant()}", "7", "1", "true"];
        return candidates.FirstOrDefault(c => check(c) is null)
            ?? throw new InvalidOperationException($"No sample value suits {variable}: {check(candidates[0])}");
    }

    [GeneratedRegex("`([A-Z][A-Z0-9]*_[A-Z0-9_]+)(?:=[^`]*)?`")]
    private static partial Regex Variable();
}
