namespace ImageGen.Core.BrandCheck;

/// <summary>A brand revision and how many decided picks had a candidate made under it.</summary>
public sealed record RevisionInfo(long Id, int Revision, long CreatedAt, int Picks);
