using System.ComponentModel.DataAnnotations;
using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Imaging;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using ImageGen.Core.Providers;
using ImageGen.Core.Spec;

namespace ImageGen.Web.Pages.WorkItems;

/// <summary>The generate form. The idempotency key is minted when the form is rendered, so a double submit makes one job.</summary>
public sealed class GenerateInput
{
    /// <summary>
    /// One job is queued per model, so the same brief can be compared across models. Empty unless posted: a form sent with
    /// no model chosen is refused with a message (the page preselects the default model on a fresh form).
    /// </summary>
    public List<string> Models { get; set; } = [];

    [Required]
    public string Format { get; set; } = ImageFormats.Png;

    [Display(Name = "Size (W×H)")]
    public string? Size { get; set; }

    [Display(Name = "Aspect ratio")]
    public string? AspectRatio { get; set; }

    [Range(1, JobSpec.MaxCount, ErrorMessage = "Count must be between {1} and {2}.")]
    public int Count { get; set; } = 4;

    // Range over long: the int overload converts the value to int first, and a seed of 2^31 or more threw (a 500).
    [Range(typeof(long), "0", "2147483647", ErrorMessage = "The seed must be a whole number from {1} to {2}.")]
    public long? Seed { get; set; }

    [StringLength(TextLimits.Adjustment, ErrorMessage = "The adjustment is too long: at most {1} characters.")]
    public string? Adjustment { get; set; }

    /// <summary>The assets to send as references (brand assets and this item's uploads), by id.</summary>
    public List<long> References { get; set; } = [];

    public string Background { get; set; } = Backgrounds.Auto;

    public string Quality { get; set; } = Qualities.Auto;

    [Required]
    public string IdempotencyKey { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>What this form asks of <paramref name="model"/>, once <see cref="Validate"/> passed.</summary>
    public Services.JobSubmitter.Ask AskOf(string model, IReadOnlyList<InputFile> references) => new(
        model, ImageFormats.Parse(Format)!, Trimmed(Size), Trimmed(AspectRatio), Count, Seed, Background, Quality, references, Trimmed(Adjustment));

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static IReadOnlyList<string> AspectRatios { get; } = ["1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3"];

    /// <summary>Checks the model, format and size the way the CLI will, so a bad value is caught on the form.</summary>
    public void Validate(ModelStateDictionary modelState, ModelRegistry registry)
    {
        Models = Models.Where(m => !string.IsNullOrWhiteSpace(m)).Distinct().ToList();
        if (Models.Count == 0)
        {
            modelState.AddModelError("Generate.Models", "Choose at least one model.");
        }
        foreach (var id in Models)
        {
            var model = registry.Find(id)?.Info;
            if (model is null)
            {
                modelState.AddModelError("Generate.Models", $"Unknown model '{id}'.");
            }
            else if (!model.Available)
            {
                modelState.AddModelError("Generate.Models", $"{model.DisplayName} is not available: {model.UnavailableReason}");
            }
        }
        var format = ImageFormats.Parse(Format);
        if (format is null)
        {
            modelState.AddModelError("Generate.Format", $"'{Format}' is not a format. Choose png, jpeg or webp.");
        }
        if (Backgrounds.Parse(Background) is not { } background)
        {
            modelState.AddModelError("Generate.Background", $"'{Background}' is not a background. Choose auto, transparent or opaque.");
            background = Backgrounds.Auto;
        }
        if (Qualities.Parse(Quality) is not { } quality)
        {
            modelState.AddModelError("Generate.Quality", $"'{Quality}' is not a quality. Choose auto, low, medium or high.");
            quality = Qualities.Auto;
        }
        (Background, Quality) = (background, quality);
        References = References.Distinct().ToList();
        // The same table the CLI validates with: each chosen model must honour what the form asks.
        foreach (var model in Models.Select(id => registry.Find(id)?.Info).OfType<ModelInfo>().Where(m => m.Available))
        {
            foreach (var problem in model.Capabilities.Check(model.DisplayName, new GenerateOptions(References.Count, false, false, background, quality, format ?? ImageFormats.Png)))
            {
                modelState.AddModelError($"Generate.{problem.Field}", problem.Message);
            }
        }
        try
        {
            ImageSize.Resolve(Size, AspectRatio);
        }
        catch (ImageGenException e)
        {
            modelState.AddModelError(e.Message.StartsWith("Aspect", StringComparison.Ordinal) ? "Generate.AspectRatio" : "Generate.Size", e.Message);
        }
    }
}
