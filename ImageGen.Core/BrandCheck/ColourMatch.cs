namespace ImageGen.Core.BrandCheck;

/// <summary>A dominant colour of the image, its share of the visible pixels, and the nearest palette colour (CIEDE2000).</summary>
public sealed record ColourMatch(string Colour, double Share, string? Nearest, double? DeltaE);
