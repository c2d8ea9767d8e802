namespace ImageGen.Core.BrandCheck;

/// <summary>How often candidates with one overall brand verdict won their picks; a null verdict is a candidate never checked.</summary>
public sealed record VerdictWins(BrandVerdict? Verdict, int Wins, int Picks)
{
    public double Share => Picks == 0 ? 0 : (double)Wins / Picks;
}
