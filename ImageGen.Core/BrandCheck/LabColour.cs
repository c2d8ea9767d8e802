namespace ImageGen.Core.BrandCheck;

/// <summary>A CIELAB colour (D65, as libvips converts sRGB).</summary>
public readonly record struct LabColour(float L, float A, float B)
{
    public double DistanceSquared(LabColour other) =>
        ((L - other.L) * (L - other.L)) + ((A - other.A) * (A - other.A)) + ((B - other.B) * (B - other.B));
}
