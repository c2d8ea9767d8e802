using ImageGen.Core.Imaging;
using ImageGen.Core.Telemetry;

namespace ImageGen.Core.Generation;

/// <summary>A validated generate request, as the CLI parsed it.</summary>
public sealed record GenerateRequest(string Prompt, string Model, int Count, ImageSize Size, string Format, long? Seed)
{
    public const int MaxCount = 8;
    public const int MaxPromptLength = 32_000;
}

/// <summary>
/// Runs one generate request: resolves the model, has it produce the images, writes them and the
/// <see cref="GenerateManifest.SidecarFileName"/> sidecar to the output folder, and returns the manifest.
/// </summary>
public sealed class ImageGenerator(ModelRegistry registry)
{
    public async Task<GenerateManifest> GenerateAsync(GenerateRequest request, string outputDirectory, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            throw ImageGenException.Usage("The prompt is empty.");
        }
        if (request.Prompt.Length > GenerateRequest.MaxPromptLength)
        {
            throw ImageGenException.Usage($"The prompt is {request.Prompt.Length} characters; the limit is {GenerateRequest.MaxPromptLength}.");
        }
        if (request.Count is < 1 or > GenerateRequest.MaxCount)
        {
            throw ImageGenException.Usage($"--count {request.Count} is out of range: 1–{GenerateRequest.MaxCount}.");
        }
        var model = registry.Resolve(request.Model);
        // Seeds stay within 31 bits so every consumer (JSON, SQLite, other tools' seed fields) reads them exactly.
        var seed = request.Seed ?? Random.Shared.NextInt64(0, int.MaxValue);

        IReadOnlyList<ModelImage> images;
        using (var call = ImageGenTelemetry.Source.StartActivity($"model {model.Info.Id}"))
        {
            call?.SetTag("imagegen.model", model.Info.Id);
            call?.SetTag("imagegen.seed", seed);
            images = await model.GenerateAsync(new ModelRequest(request.Prompt, request.Size, request.Format, request.Count, seed), cancellationToken);
        }

        using var write = ImageGenTelemetry.Source.StartActivity("write files");
        Directory.CreateDirectory(outputDirectory);
        var entries = new List<ManifestImage>(images.Count);
        for (var i = 0; i < images.Count; i++)
        {
            var image = images[i];
            string? note = null;
            if (!image.Finished)
            {
                // Provider output: meet the requested size and format locally and embed provenance.
                var provenance = new Provenance(request.Prompt, model.Info.Id, image.Seed, request.Size.Width, request.Size.Height, request.Format, OfflineProceduralModel.Generator);
                (var bytes, note) = ImageFinisher.Finish(image.Bytes, request.Size, request.Format, provenance);
                image = image with { Bytes = bytes, Width = request.Size.Width, Height = request.Size.Height, Format = request.Format, Finished = true };
            }
            var path = Path.Combine(outputDirectory, $"{i + 1:00}-seed{image.Seed}.{ImageFormats.Extension(image.Format)}");
            await File.WriteAllBytesAsync(path, image.Bytes, cancellationToken);
            entries.Add(new ManifestImage(path, image.Width, image.Height, image.Format, image.Bytes.LongLength, image.Seed, note));
        }

        var manifest = new GenerateManifest
        {
            Model = model.Info.Id,
            Prompt = request.Prompt,
            Settings = new GenerateSettings(request.Size.Width, request.Size.Height, request.Size.AspectRatio, request.Format, request.Count, seed),
            Images = entries,
        };
        // The sidecar names files relative to its own folder, so it stays true when the folder moves.
        var sidecar = manifest with { Images = entries.Select(e => e with { Path = Path.GetFileName(e.Path) }).ToList() };
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, GenerateManifest.SidecarFileName), sidecar.ToJson(), cancellationToken);
        return manifest;
    }
}
