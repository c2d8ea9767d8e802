using ImageGen.Core.Storage;
namespace ImageGen.Core.BrandCheck;

/// <summary>Head-to-head picks between candidates made under two brand revisions, and what may be said of them.</summary>
public sealed record RevisionDuel(RevisionInfo Older, RevisionInfo Newer, int NewerWins, int Picks, double PValue)
{
    public double Share => Picks == 0 ? 0 : (double)NewerWins / Picks;

    /// <summary>Whether a difference may be claimed: <see cref="BrandInsights.MinPicks"/> picks or more and p below <see cref="BrandInsights.Significance"/>.</summary>
    public bool Enough => Picks >= BrandInsights.MinPicks;

    /// <summary>Enough picks, and a split that luck alone makes unlikely.</summary>
    public bool Significant => Enough && PValue < BrandInsights.Significance;

    /// <summary>The newer revision's candidates won more of the head-to-head picks (say so only when <see cref="Significant"/>).</summary>
    public bool NewerWon => NewerWins * 2 > Picks;
}
