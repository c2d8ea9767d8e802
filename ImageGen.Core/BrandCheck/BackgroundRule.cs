namespace ImageGen.Core.BrandCheck;

/// <summary>What a brand asks of its images' backgrounds.</summary>
public enum BackgroundRule
{
    Any,
    Transparent,
    Solid,
}
