namespace ImageGen.Core.BrandCheck;

/// <summary>What the picks across a brand's work items say (<see cref="BrandInsights"/>); the page words are the web app's.</summary>
public sealed record BrandInsightReport(
    int Picks,
    IReadOnlyList<VerdictWins> Verdicts,
    IReadOnlyList<CheckWins> Checks,
    IReadOnlyList<WinCount> Models,
    IReadOnlyList<(string Word, int Count)> Words,
    IReadOnlyList<RevisionInfo> Revisions,
    RevisionDuel? Duel);
