using ImageGen.Core.Imaging;
using ImageGen.Core.Providers;
using ImageGen.Core.Telemetry;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Generation;

/// <summary>
/// Runs one <see cref="JobSpec"/>: checks it, resolves the model, has it produce the images, writes them and the
/// <see cref="GenerateManifest.SidecarFileName"/> sidecar to the output folder, and returns the manifest, with what the
/// provider reported (request ids, model version, usage) and the cost. When the model failed part-way, the images it made
/// are still written and the manifest says how many are missing and why (<see cref="GenerateManifest.Error"/>).
/// </summary>
public sealed class ImageGenerator(ModelRegistry registry, PriceTable? prices = null, int pngCompression = ImageEncoder.DefaultPngCompression)
{
    private readonly PriceTable _prices = prices ?? PriceTable.Defaults;

    /// <param name="inputFolder">The folder relative input paths in the spec are read from (the spec file's); the current
    /// folder when null.</param>
    public async Task<GenerateManifest> GenerateAsync(JobSpec spec, string outputDirectory, CancellationToken cancellationToken, string? inputFolder = null)
    {
        var (size, format) = Check(spec);
        var model = registry.Resolve(spec.Model);
        var problems = model.Info.Capabilities.Check(model.Info.Id, new GenerateOptions(
            spec.References?.Count ?? 0, spec.Source is not null, spec.Mask is not null, spec.Background, spec.Quality, format));
        if (problems.Count > 0)
        {
            throw ImageGenException.Usage(string.Join(" ", problems.Select(p => p.Message)));
        }
        var (references, source, mask) = LoadInputs(spec, inputFolder ?? Directory.GetCurrentDirectory());
        // Pinned to the files as read, before any is shrunk for the model: the echo names the file, not the copy sent.
        var ran = Pinned(spec, references, source, mask);
        if (model.Info.Capabilities.MaxInputPixels is { } maxPixels)
        {
            // Only what the model reads is sent (and recorded as sent); a masked source keeps the mask's size.
            references = [.. references.Select(r => r.ShrunkTo(maxPixels))];
            source = mask is null ? source?.ShrunkTo(maxPixels) : source;
        }
        // Seeds stay within 31 bits so every consumer (JSON, SQLite, other tools' seed fields) reads them exactly.
        var seed = spec.Seed ?? Random.Shared.NextInt64(0, int.MaxValue);

        var modelRequest = new ModelRequest(spec.Prompt, size, format, spec.Count, seed)
        {
            References = references, Source = source, Mask = mask, Background = spec.Background, Quality = spec.Quality,
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
                var finished = ImageFinisher.Finish(image.Bytes, size, format, modelRequest.ProvenanceFor(model.Info.Id, image.Seed), pngCompression);
                note = finished.Note;
                if (finished.Original is { } originalBytes)
                {
                    original = $"{stem}-provider.{ImageFormats.Extension(finished.OriginalFormat!)}";
                    await File.WriteAllBytesAsync(Path.Combine(outputDirectory, original), originalBytes, cancellationToken);
                }
                image = image with { Bytes = finished.Bytes, Width = size.Width, Height = size.Height, Format = format, Finished = true };
            }
            var path = Path.Combine(outputDirectory, $"{stem}.{ImageFormats.Extension(image.Format)}");
            await File.WriteAllBytesAsync(path, image.Bytes, cancellationToken);
            entries.Add(new ManifestImage(path, image.Width, image.Height, image.Format, image.Bytes.LongLength, image.Seed, note, original));
        }

        var takesSeed = model.Info.Capabilities.Seed;
        var missing = answer.Failure is null ? (int?)null : spec.Count - answer.Images.Count;
        var manifest = new GenerateManifest
        {
            Model = model.Info.Id,
            Prompt = spec.Prompt,
            Spec = ran,
            Settings = new ManifestSettings(size.Width, size.Height, size.AspectRatio, format, spec.Count,
                takesSeed ? seed : null, spec.Background, spec.Quality),
            Images = entries,
            Inputs = modelRequest.InputImages.Count == 0 && mask is null ? null : [
                .. source is null ? [] : new[] { InputOf("source", source) },
                .. references.Select(r => InputOf("reference", r)),
                .. mask is null ? [] : new[] { InputOf("mask", mask) },
            ],
            Provider = new RunFacts
            {
                // Only worth saying when it differs from what was asked.
                SentSize = answer.SentSize == size.ToString() ? null : answer.SentSize,
                SizeNote = ReducedNote(size, answer.SentPixels),
                SeedNote = takesSeed ? null : "seed not supported",
                RequestIds = answer.RequestIds.Count == 0 ? null : answer.RequestIds,
                ModelVersion = answer.ModelVersion,
                Usage = answer.Usage,
                Cost = _prices.Cost(model.Info.Id, answer.Usage, answer.Images.Count),
                Missing = missing,
            },
            Error = answer.Failure is { } f ? new CliError(f.Kind.ToString().ToLowerInvariant(),
                $"{f.Message.TrimEnd('.')}. {answer.Images.Count} of {spec.Count} images had arrived and were kept; {missing} missing.", f.RetryAfter?.TotalSeconds) : null,
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

    /// <summary>Every value of a spec a model would get, checked: a spec file is typed by people and programs, not only by the form.</summary>
    private static (ImageSize Size, string Format) Check(JobSpec spec)
    {
        if (spec.Kind != JobSpecKinds.Generate)
        {
            throw ImageGenException.Usage($"The spec's kind is '{spec.Kind}'; this imagegen runs '{JobSpecKinds.Generate}'.");
        }
        if (string.IsNullOrWhiteSpace(spec.Prompt))
        {
            throw ImageGenException.Usage("The prompt is empty.");
        }
        if (spec.Prompt.Length > JobSpec.MaxPromptLength)
        {
            throw ImageGenException.Usage($"The prompt is {spec.Prompt.Length} characters; the limit is {JobSpec.MaxPromptLength}.");
        }
        if (spec.Count is < 1 or > JobSpec.MaxCount)
        {
            throw ImageGenException.Usage($"--count {spec.Count} is out of range: 1–{JobSpec.MaxCount}.");
        }
        if (spec.References?.Count > JobSpec.MaxReferences)
        {
            throw ImageGenException.Usage($"{spec.References.Count} references were given; the limit is {JobSpec.MaxReferences}.");
        }
        if (spec.Seed is < 0)
        {
            throw ImageGenException.Usage($"The seed is {spec.Seed}; it must be 0 or more.");
        }
        var format = ImageFormats.Parse(spec.Format) is { } parsed && ImageFormats.All.Contains(parsed)
            ? parsed
            : throw ImageGenException.Usage($"The format is '{spec.Format}'; use one of {string.Join(", ", ImageFormats.All)}.");
        if (Backgrounds.Parse(spec.Background) != spec.Background)
        {
            throw ImageGenException.Usage($"The background is '{spec.Background}'; use one of {string.Join(", ", Backgrounds.All)}.");
        }
        if (Qualities.Parse(spec.Quality) != spec.Quality)
        {
            throw ImageGenException.Usage($"The quality is '{spec.Quality}'; use one of {string.Join(", ", Qualities.All)}.");
        }
        return (ImageSize.Resolve(spec.Size, spec.AspectRatio), format);
    }

    private static (IReadOnlyList<InputImage> References, InputImage? Source, InputImage? Mask) LoadInputs(JobSpec spec, string folder)
    {
        using var activity = ImageGenTelemetry.Source.StartActivity("read inputs");
        var references = (spec.References ?? []).Select((file, i) => Load(file, folder, $"--reference {i + 1}")).ToList();
        var source = spec.Source is { } s ? Load(s, folder, "--source") : null;
        var mask = spec.Mask is { } m ? Load(m, folder, "--mask") : null;
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

    /// <summary>One input file, read and checked against the hash the spec pinned it to (the worker pins every file it hands over).</summary>
    private static InputImage Load(InputFile file, string folder, string what)
    {
        var path = Path.GetFullPath(file.Path, folder);
        var image = InputImage.Load(path, $"{what} ('{Path.GetFileName(path)}')");
        if (file.Pinned && !string.Equals(file.Sha256, image.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw ImageGenException.Usage($"{what} ('{Path.GetFileName(path)}') is not the file the spec names: its SHA-256 is {image.Sha256[..8]}, the spec says {file.Sha256[..Math.Min(8, file.Sha256.Length)]}.");
        }
        return image;
    }

    /// <summary>The spec as it ran, every input pinned to what was read (a file named on the command line gets its hash and format).</summary>
    private static JobSpec Pinned(JobSpec spec, IReadOnlyList<InputImage> references, InputImage? source, InputImage? mask)
    {
        static InputFile Pin(InputFile file, InputImage image) => file with { Sha256 = image.Sha256, Format = image.Format };
        return spec with
        {
            References = spec.References is { Count: > 0 } files ? files.Select((f, i) => Pin(f, references[i])).ToList() : null,
            Source = spec.Source is { } s ? Pin(s, source!) : null,
            Mask = spec.Mask is { } m ? Pin(m, mask!) : null,
        };
    }

    private static ManifestInput InputOf(string role, InputImage image) =>
        new(role, image.Name, image.Sha256, image.Format, image.Width, image.Height, image.Note);
}
