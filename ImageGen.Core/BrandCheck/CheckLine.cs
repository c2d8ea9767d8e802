namespace ImageGen.Core.BrandCheck;

/// <summary>One line of a brand check: its name, outcome, and what a person can verify by eye.</summary>
public sealed record CheckLine(string Name, BrandVerdict Verdict, string Summary);
