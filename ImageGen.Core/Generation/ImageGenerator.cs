using ImageGen.Core.Imaging;
using ImageGen.Core.Providers;
using ImageGen.Core.Telemetry;

namespace ImageGen.Core.Generation;

/// <summary>A validated generate request, as the CLI parsed it.</summary>
public sealed record GenerateRequest(string Prompt, string Model, int Count, ImageSize Size, string Format, long? Seed)
{
    /// <summary>Files of reference images, in the order they are sent.</summary>
    public IReadOnlyList<string> ReferencePaths { get; init; } = [];

    /// <summary>The file of the image to start from (image-to-image).</summary>
    public string? SourcePath { get; init; }

    /// <summary>The file of a mask for <see cref="SourcePath"/>.</summary>
    public string? MaskPath { get; init; }

    public string Background { get; init; } = Backgrounds.Auto;
    public string Quality { get; init; } = Qualities.Auto;

    /// <summary>More reference files than this are refused whatever the model: 16, the most any provider takes.</summary>
    public const int MaxReferences = 16;

    public const int MaxCount = 8;
    public const int MaxPromptLength = 32_000;
}

/// <summary>
/// Runs one generate request: resolves the model, has it produce the images, writes them and the
/// <see cref="GenerateManifest.SidecarFileName"/> sidecar to the output folder, and returns the manifest, with what the
/// provider reported (request ids, model version, usage) and the cost. When the model failed part-way, the images it made
/// are still written and the manifest says how many are missing and why (<see cref="GenerateManifest.Error"/>).
/// </summary>
public sealed class ImageGenerator(ModelRegistry registry, PriceTable? prices = null, int pngCompression = ImageEncoder.DefaultPngCompression)
{
    private readonly PriceTable _prices = prices ?? PriceTable.Defaults;

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
        if (request.ReferencePaths.Count > GenerateRequest.MaxReferences)
        {
            throw ImageGenException.Usage($"{request.ReferencePaths.Count} references were given; the limit is {GenerateRequest.MaxReferences}.");
        }
        var model = registry.Resolve(request.Model);
        var problems = model.Info.Capabilities.Check(model.Info.Id, new GenerateOptions(
            request.ReferencePaths.Count, request.SourcePath is not null, request.MaskPath is not null, request.Background, request.Quality, request.Format));
        if (problems.Count > 0)
        {
            throw ImageGenException.Usage(string.Join(" ", problems.Select(p => p.Message)));
        }
        var (references, source, mask) = LoadInputs(request);
        if (model.Info.Capabilities.MaxInputPixels is { } maxPixels)
        {
            // Only what the model reads is sent (and recorded as sent); a masked source keeps the mask's size.
            references = [.. references.Select(r => r.ShrunkTo(maxPixels))];
            source = mask is null ? source?.ShrunkTo(maxPixels) : source;
        }
        // Seeds stay within 31 bits so every consumer (JSON, SQLite, other tools' seed fields) reads them exactly.
        var seed = request.Seed ?? Random.Shared.NextInt64(0, int.MaxValue);

        var modelRequest = new ModelRequest(request.Prompt, request.Size, request.Format, request.Count, seed)
        {
            References = references, Source = source, Mask = mask, Background = request.Background, Quality = request.Quality,
        };
        ModelAnswer answer;
        using (var call = ImageGenTelemetry.Source.StartActivity($"model {model.Info.Id}"))
        {
            call?.SetTag("imagegen.model", model.Info.Id);
            call?.SetTag("imagegen.seed", seed);
            call?.SetTag("imagegen.inputs", references.Count + (source is null ? 0 : 1));
            answer = await model.GenerateAsync(modelRequest, cancellationToken);
            call?.SetTag("imagegen.images", answer.Images.Count);
        }
        if (answer.Images.Count == 0)
        {
            throw answer.Failure ?? new ImageGenException(ErrorKind.Permanent, $"{model.Info.Id} answered without images.");
        }

        using var write = ImageGenTelemetry.Source.StartActivity("write files");
        Directory.CreateDirectory(outputDirectory);
        var entries = new List<ManifestImage>(answer.Images.Count);
        for (var i = 0; i < answer.Images.Count; i++)
        {
            var image = answer.Images[i];
            var stem = image.Seed is { } s ? $"{i + 1:00}-seed{s}" : $"{i + 1:00}";
            string? note = null, original = null;
            if (!image.Finished)
            {
                // Provider output: kept as sent when it is what was asked; else made to the size and format asked, with
                // provenance embedded, and the provider's file kept beside it.
                var finished = ImageFinisher.Finish(image.Bytes, request.Size, request.Format, modelRequest.ProvenanceFor(model.Info.Id, image.Seed), pngCompression);
                note = finished.Note;
                if (finished.Original is { } originalBytes)
                {
                    original = $"{stem}-provider.{ImageFormats.Extension(finished.OriginalFormat!)}";
                    await File.WriteAllBytesAsync(Path.Combine(outputDirectory, original), originalBytes, cancellationToken);
                }
                image = image with { Bytes = finished.Bytes, Width = request.Size.Width, Height = request.Size.Height, Format = request.Format, Finished = true };
            }
            var path = Path.Combine(outputDirectory, $"{stem}.{ImageFormats.Extension(image.Format)}");
            await File.WriteAllBytesAsync(path, image.Bytes, cancellationToken);
            entries.Add(new ManifestImage(path, image.Width, image.Height, image.Format, image.Bytes.LongLength, image.Seed, note, original));
        }

        var takesSeed = model.Info.Capabilities.Seed;
        var missing = answer.Failure is null ? (int?)null : request.Count - answer.Images.Count;
        var manifest = new GenerateManifest
        {
            Model = model.Info.Id,
            Prompt = request.Prompt,
            Settings = new GenerateSettings(request.Size.Width, request.Size.Height, request.Size.AspectRatio, request.Format, request.Count,
                takesSeed ? seed : null, request.Background, request.Quality),
            Images = entries,
            Inputs = modelRequest.InputImages.Count == 0 && mask is null ? null : [
                .. source is null ? [] : new[] { ManifestInput.Of("source", source) },
                .. references.Select(r => ManifestInput.Of("reference", r)),
                .. mask is null ? [] : new[] { ManifestInput.Of("mask", mask) },
            ],
            Provider = new RunFacts
            {
                // Only worth saying when it differs from what was asked.
                SentSize = answer.SentSize == request.Size.ToString() ? null : answer.SentSize,
                SizeNote = ReducedNote(request.Size, answer.SentPixels),
                SeedNote = takesSeed ? null : "seed not supported",
                RequestIds = answer.RequestIds.Count == 0 ? null : answer.RequestIds,
                ModelVersion = answer.ModelVersion,
                Usage = answer.Usage,
                Cost = _prices.Cost(model.Info.Id, answer.Usage, answer.Images.Count),
                Missing = missing,
            },
            Error = answer.Failure is { } f ? new CliError(f.Kind.ToString().ToLowerInvariant(),
                $"{f.Message.TrimEnd('.')}. {answer.Images.Count} of {request.Count} images had arrived and were kept; {missing} missing.", f.RetryAfter?.TotalSeconds) : null,
        };
        // The sidecar names files relative to its own folder, so it stays true when the folder moves.
        var sidecar = manifest with { Images = entries.Select(e => e with { Path = Path.GetFileName(e.Path) }).ToList() };
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, GenerateManifest.SidecarFileName), sidecar.ToJson(), cancellationToken);
        return manifest;
    }

    /// <summary>
    /// Words for a size the model could not make: its image is smaller than asked on some side, so covering the asked
    /// size means upscaling it. A size made larger (gpt-image-2's minimum) or only reshaped is not a reduction.
    /// </summary>
    internal static string? ReducedNote(ImageSize asked, ImageSize? made)
    {
        if (made is not { Width: > 0, Height: > 0 } sent)
        {
            return null;
        }
        var scale = Math.Max((double)asked.Width / sent.Width, (double)asked.Height / sent.Height);
        return scale > 1.01
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"reduced: the model made {sent.Width}x{sent.Height}, its largest for this shape, upscaled {scale:0.##}× locally to {asked}")
            : null;
    }

    private static (IReadOnlyList<InputImage> References, InputImage? Source, InputImage? Mask) LoadInputs(GenerateRequest request)
    {
        using var activity = ImageGenTelemetry.Source.StartActivity("read inputs");
        var references = request.ReferencePaths.Select((path, i) => InputImage.Load(path, $"--reference {i + 1} ('{Path.GetFileName(path)}')")).ToList();
        var source = request.SourcePath is { } s ? InputImage.Load(s, $"--source ('{Path.GetFileName(s)}')") : null;
        var mask = request.MaskPath is { } m ? InputImage.Load(m, $"--mask ('{Path.GetFileName(m)}')") : null;
        if (mask is not null && source is not null)
        {
            if (mask.Format != ImageFormats.Png || !mask.HasAlpha)
            {
                throw ImageGenException.Usage("--mask must be a PNG with an alpha channel: its transparent pixels mark what to change.");
            }
            if (mask.Width != source.Width || mask.Height != source.Height)
            {
                throw ImageGenException.Usage($"--mask is {mask.Width}x{mask.Height}; it must be the source image's size, {source.Width}x{source.Height}.");
            }
        }
        return (references, source, mask);
    }
}
