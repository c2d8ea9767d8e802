namespace ImageGen.Core.BrandCheck;

/// <summary>The rules that apply to one work item type: the brand's general lines, overridden by the type's own.</summary>
/// <param name="Aspects">Allowed ratios; empty means any.</param>
/// <param name="MinWidth">Smallest width allowed, when a rule names one.</param>
/// <param name="LogoRequired">The brand's logo must appear in the image.</param>
/// <param name="AspectFromType">True when <paramref name="Aspects"/> is the type's built-in default (icons are square), not a brand rule.</param>
public sealed record TypeRules(BackgroundRule Background, IReadOnlyList<AspectRatio> Aspects, int? MinWidth, int? MinHeight, bool LogoRequired, bool AspectFromType);
