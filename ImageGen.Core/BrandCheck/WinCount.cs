namespace ImageGen.Core.BrandCheck;

/// <summary>How often one side won: wins of picks, and the share.</summary>
public sealed record WinCount(string Name, int Wins, int Picks)
{
    public double Share => Picks == 0 ? 0 : (double)Wins / Picks;
}
