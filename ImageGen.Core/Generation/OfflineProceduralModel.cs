using ImageGen.Core.Imaging;
using ImageGen.Core.Telemetry;

namespace ImageGen.Core.Generation;

/// <summary>
/// <c>offline/procedural</c>: the default model. Needs no key or network and is deterministic, so it is the
/// model for trying the tool out, for previews, and for tests.
/// </summary>
public sealed class OfflineProceduralModel : IImageModel
{
    public const string Id = "offline/procedural";

    public ModelInfo Info { get; } = new(
        Id,
        "Offline preview (procedural)",
        "Abstract compositions drawn locally from the prompt's colours; no key or network. For previews and tests.",
        Available: true);

    public Task<IReadOnlyList<ModelImage>> GenerateAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        var images = new List<ModelImage>(request.Count);
        for (var i = 0; i < request.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var seed = request.Seed + i;
            var (width, height) = (request.Size.Width, request.Size.Height);
            byte[] pixels;
            using (ImageGenTelemetry.Source.StartActivity("render"))
            {
                pixels = ProceduralRenderer.Render(request.Prompt, seed, width, height);
            }
            var provenance = new Provenance(request.Prompt, Id, seed, width, height, request.Format, Generator);
            using (ImageGenTelemetry.Source.StartActivity("encode")?.SetTag("imagegen.format", request.Format))
            {
                images.Add(new ModelImage(ImageEncoder.EncodeRgb(pixels, width, height, request.Format, provenance), width, height, request.Format, seed));
            }
        }
        return Task.FromResult<IReadOnlyList<ModelImage>>(images);
    }

    public static string Generator => $"imagegen {typeof(OfflineProceduralModel).Assembly.GetName().Version?.ToString(3)}";
}
