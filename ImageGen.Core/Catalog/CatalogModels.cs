namespace ImageGen.Core.Catalog;

public sealed class Brand
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Slug { get; init; } = "";
    public string Description { get; init; } = "";
    public string ContentMarkdown { get; init; } = "";
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
}

public sealed class ProjectSummary
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Slug { get; init; } = "";
    public long? DefaultBrandId { get; init; }
    public string? DefaultBrandName { get; init; }
    public string? DefaultBrandSlug { get; init; }
    public long WorkItemCount { get; init; }
    public long CreatedAt { get; init; }
}

public sealed class WorkItemSummary
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Slug { get; init; } = "";
    public string Type { get; init; } = "";
    public string Status { get; init; } = "";
    public long UpdatedAt { get; init; }
}

/// <summary>A work item with what its page shows about its project and brands.</summary>
public sealed class WorkItemDetail
{
    public long Id { get; init; }
    public long ProjectId { get; init; }
    public string ProjectName { get; init; } = "";
    public string ProjectSlug { get; init; } = "";
    public string Name { get; init; } = "";
    public string Slug { get; init; } = "";
    public string Type { get; init; } = "";
    public string Prompt { get; init; } = "";
    public string Constraints { get; init; } = "";
    public string Status { get; init; } = "";
    public long? BrandId { get; init; }
    public long? DefaultBrandId { get; init; }
    /// <summary>The effective brand: the item's override, else the project's default.</summary>
    public long? EffectiveBrandId { get; init; }
    public string? EffectiveBrandName { get; init; }
    public string? EffectiveBrandSlug { get; init; }
    public string? EffectiveBrandMarkdown { get; init; }
    /// <summary>The brand text revision a job queued now would use.</summary>
    public long? EffectiveBrandRevisionId { get; init; }
    public bool BrandIsOverride => BrandId is not null;
}

public static class WorkItemTypes
{
    public static IReadOnlyList<string> All { get; } = ["icon", "hero", "thumbnail", "illustration", "other"];
}

/// <summary>Limits on what a form may store; a longer value is refused with a message, never truncated.</summary>
public static class TextLimits
{
    public const int Name = 200;
    public const int Description = 2_000;
    public const int Markdown = 100_000;
    public const int Prompt = 8_000;
    public const int Constraints = 4_000;
    public const int Adjustment = 2_000;
}

/// <summary>One page of a list, newest first, with the key to ask for the next.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long? NextBefore);
