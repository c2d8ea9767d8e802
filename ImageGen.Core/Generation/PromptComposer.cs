using System.Text;

namespace ImageGen.Core.Generation;

/// <summary>The parts a prompt is composed from. The brand is the effective one (override, else project default).</summary>
public sealed record PromptParts(
    string Prompt,
    string? WorkItemType = null,
    string? Constraints = null,
    string? BrandName = null,
    string? BrandMarkdown = null,
    string? Adjustment = null)
{
    /// <summary>A source image goes with the prompt (image-to-image): the prompt says to make a new version of it.</summary>
    public bool FromSource { get; init; }
}

/// <summary>
/// Builds the prompt sent to a model. The order puts the asset first (what to draw), then the brand (how it
/// should look, its Markdown flattened to plain text by <see cref="PromptText"/>), then hard constraints and the
/// adjustment, which the user wants to win over the brand. The result has no <c>|</c>. It is exactly what the CLI sends.
/// </summary>
public static class PromptComposer
{
    public static string Compose(PromptParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var prompt = parts.Prompt.Trim();
        if (prompt.Length == 0)
        {
            throw new ArgumentException("The prompt is empty.", nameof(parts));
        }

        var builder = new StringBuilder();
        var type = parts.WorkItemType?.Trim();
        if (parts.FromSource)
        {
            builder.Append(SourceInstruction).Append(' ');
        }
        builder.Append(string.IsNullOrEmpty(type) || type == "other" ? prompt : $"{Describe(type)}: {prompt}");

        var brand = parts.BrandMarkdown?.Trim();
        if (!string.IsNullOrEmpty(brand))
        {
            builder.Append("\n\nBrand style guide");
            if (!string.IsNullOrWhiteSpace(parts.BrandName))
            {
                builder.Append(" (").Append(parts.BrandName.Trim()).Append(')');
            }
            builder.Append(":\n").Append(PromptText.Flatten(brand));
        }

        var constraints = parts.Constraints?.Trim();
        if (!string.IsNullOrEmpty(constraints))
        {
            builder.Append("\n\nConstraints:\n").Append(constraints);
        }

        var adjustment = parts.Adjustment?.Trim();
        if (!string.IsNullOrEmpty(adjustment))
        {
            builder.Append("\n\nAdjustment:\n").Append(adjustment);
        }
        // Some servers (LocalAI) read what follows a '|' as a negative prompt: none is sent.
        return builder.ToString().Replace('|', '/');
    }

    /// <summary>Leads the prompt when a source image is sent first: the models read the images in order.</summary>
    public const string SourceInstruction = "Make a new version of the first image.";

    private static string Describe(string type) => type switch
    {
        "icon" => "An app icon",
        "hero" => "A hero banner image",
        "thumbnail" => "A thumbnail image",
        "illustration" => "An illustration",
        _ => $"An image ({type})",
    };
}
