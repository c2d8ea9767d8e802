namespace ImageGen.Core.BrandCheck;

/// <summary>Where avoided colours are: per cell of a grid over the image, the share of its pixels (0–100), row-major.</summary>
public sealed record HeatMap(int Columns, int Rows, IReadOnlyList<int> Cells);
