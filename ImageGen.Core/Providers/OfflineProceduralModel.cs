using ImageGen.Core.Imaging;
using ImageGen.Core.Telemetry;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Providers;

/// <summary>
/// <c>offline/procedural</c>: the default model. Needs no key or network and is deterministic, so it is the
/// model for trying the tool out, for previews, and for tests. It honours every input the remote models take except a
/// mask: references give its palette when the prompt names no hex colours, a source image lays out its composition
/// (blurred and recoloured), and a transparent background leaves only its shapes.
/// </summary>
/// <param name="pngCompression">zlib's level for PNG output (<see cref="ImageEncoder.DefaultPngCompression"/>).</param>
public sealed class OfflineProceduralModel(int pngCompression = ImageEncoder.DefaultPngCompression) : IImageModel
{
    public const string Id = "offline/procedural";

    /// <summary>References plus the source image one request may carry.</summary>
    public const int MaxInputImages = 8;

    public ModelInfo Info { get; } = new(
        Id,
        "Offline preview (procedural)",
        "Abstract compositions drawn locally from the prompt's colours (or the references'); no key or network. For previews and tests.",
        Available: true)
    {
        Capabilities = new ModelCapabilities
        {
            Seed = true,
            Sizes = $"any size, {ImageSize.MinSide}–{ImageSize.MaxSide} px a side, drawn exactly",
            MaxInputImages = MaxInputImages,
            SourceImage = true,
            Transparency = true,
        },
    };

    public Task<ModelAnswer> GenerateAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        var (width, height) = (request.Size.Width, request.Size.Height);
        // The brand's avoided colours stay out of the palette (the brand check reads them; imaging sits below it).
        var inputs = new RenderInputs { Transparent = request.Background == Backgrounds.Transparent, Avoid = BrandCheck.BrandRules.Parse(request.Prompt).Avoid };
        if (request.References.Count > 0 && Palette.FromText(request.Prompt).Count == 0)
        {
            using (ImageGenTelemetry.Source.StartActivity("palette from references"))
            {
                inputs = inputs with { Palette = Palette.Dominant(request.References) };
            }
        }
        if (request.Source is { } source)
        {
            using (ImageGenTelemetry.Source.StartActivity("layout from source"))
            {
                inputs = inputs with { Layout = SourceLayout.From(source, width, height) };
            }
        }
        var images = new List<ModelImage>(request.Count);
        for (var i = 0; i < request.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var seed = request.Seed + i;
            byte[] pixels;
            using (ImageGenTelemetry.Source.StartActivity("render"))
            {
                pixels = ProceduralRenderer.Render(request.Prompt, seed, width, height, inputs);
            }
            var provenance = request.ProvenanceFor(Id, seed);
            using (ImageGenTelemetry.Source.StartActivity("encode")?.SetTag("imagegen.format", request.Format))
            {
                images.Add(new ModelImage(ImageEncoder.EncodePixels(pixels, width, height, inputs.Transparent ? 4 : 3, request.Format, provenance, pngCompression: pngCompression), width, height, request.Format, seed));
            }
        }
        return Task.FromResult(new ModelAnswer(images));
    }

    public static string Generator => $"imagegen {typeof(OfflineProceduralModel).Assembly.GetName().Version?.ToString(3)}";
}
