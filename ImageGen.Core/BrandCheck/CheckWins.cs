namespace ImageGen.Core.BrandCheck;

/// <summary>For one check: the picks between a candidate that passed it and one that did not, and how often the passing one won.</summary>
public sealed record CheckWins(string Check, int PassWins, int Picks, double PValue)
{
    public double Share => Picks == 0 ? 0 : (double)PassWins / Picks;
}
