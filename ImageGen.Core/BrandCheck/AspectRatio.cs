namespace ImageGen.Core.BrandCheck;

/// <summary>An aspect ratio a rule allows, e.g. 16:9.</summary>
public readonly record struct AspectRatio(int Width, int Height)
{
    public double Value => (double)Width / Height;

    public override string ToString() => $"{Width}:{Height}";
}
