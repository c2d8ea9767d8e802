using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ImageGen.Core;

/// <summary>URL- and path-safe identifiers: lowercase letters, digits and single hyphens.</summary>
public static partial class Slug
{
    public const int MaxLength = 64;

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex ValidPattern();

    public static bool IsValid(string? slug) =>
        !string.IsNullOrEmpty(slug) && slug.Length <= MaxLength && ValidPattern().IsMatch(slug);

    public static string EnsureValid(string slug) =>
        IsValid(slug) ? slug : throw new ArgumentException($"'{slug}' is not a valid slug (lowercase letters, digits and hyphens).", nameof(slug));

    /// <summary>Makes a slug from free text: "Hero Banner (v2)" becomes "hero-banner-v2".</summary>
    public static string From(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(normalized.Length);
        var lastWasHyphen = true;
        foreach (var c in normalized)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
                lastWasHyphen = false;
            }
            else if (!lastWasHyphen)
            {
                builder.Append('-');
                lastWasHyphen = true;
            }
        }
        var slug = builder.ToString().Trim('-');
        return slug.Length > MaxLength ? slug[..MaxLength].TrimEnd('-') : slug;
    }
}
