namespace ImageGen.Core.BrandCheck;

/// <summary>An avoided colour and the share of visible pixels within <see cref="BrandChecker.AvoidDeltaE"/> of it.</summary>
public sealed record AvoidedColour(string Colour, double Share);
