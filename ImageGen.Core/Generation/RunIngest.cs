using System.Security.Cryptography;
using ImageGen.Core.BrandCheck;
using ImageGen.Core.Files;
using ImageGen.Core.Imaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Generation;

/// <summary>The CLI's output could not be taken in; nothing of it was kept.</summary>
public sealed class RunIngestException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Takes in what <c>imagegen generate --json</c> left in a scratch folder: checks every file its manifest (read once, by the
/// worker's <see cref="CliReport"/>) names against
/// that folder (never trusting a path from the CLI), reads each file's real format and size from its bytes (within
/// <see cref="ImageLimits"/>), hashes it, makes its thumbnail beside it, then commits the whole folder to the run's place
/// in one step. Needs no worker and no database: the worker records what this returns.
/// </summary>
/// <param name="logger">Where a fault in the brand check is logged as an error (the images are kept regardless).</param>
public sealed partial class RunIngest(IImageStore images, ILogger<RunIngest>? logger = null)
{
    private readonly ILogger logger = logger ?? NullLogger<RunIngest>.Instance;

    private sealed record CheckedImage(string Name, string Format, int Width, int Height, long Bytes, string Sha256, long? Seed, string Thumbnail,
        string? Warning, string? Original, BrandCheckResult? Check);

    private async Task<CheckedImage> CheckAsync(ManifestImage image, string outputFolder, string background, BrandCheckContext? brand,
        CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(image.Path);
        var file = Path.Combine(outputFolder, name);
        if (string.IsNullOrEmpty(name) || !File.Exists(file))
        {
            throw new InvalidDataException($"the manifest names '{name}', which is not in the output folder.");
        }
        var (format, width, height) = ImageEncoder.Probe(file);
        await using var stream = File.OpenRead(file);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        // Made inside the output folder, so it is committed together with its image.
        // The brand check and the alpha check read the thumbnail while it is decoded: the file is decoded once.
        BrandCheckResult? check = null;
        var alphaAsked = background == Backgrounds.Transparent;
        var opaque = false;
        Action<NetVips.Image>? inspect = brand is null && !alphaAsked ? null : decoded =>
        {
            opaque = alphaAsked && Alpha.IsOpaque(decoded);
            check = brand is null ? null : CheckBrand(decoded, width, height, brand, name);
        };
        var thumbnail = Path.GetRelativePath(outputFolder, Thumbnails.Create(file, Path.Combine(outputFolder, Thumbnails.Folder), inspect))
            .Replace(Path.DirectorySeparatorChar, '/');
        var warning = opaque
            ? "A transparent background was asked for, but this file is opaque: the model did not honour it."
            : null;
        // The provider's own file beside a converted one: only a plain name in the same folder, and an image.
        string? original = null;
        if (image.Original is { } originalName)
        {
            original = Path.GetFileName(originalName);
            if (original != originalName || !File.Exists(Path.Combine(outputFolder, original)))
            {
                throw new InvalidDataException($"the manifest names the provider's file '{originalName}', which is not in the output folder.");
            }
            ImageEncoder.Probe(Path.Combine(outputFolder, original));
        }
        return new CheckedImage(name, format, width, height, stream.Length, hash, image.Seed, thumbnail, warning, original, check);
    }

    /// <summary>
    /// The brand check of one file. The checker throws only for a fault of its own (an image it cannot decode is a result,
    /// not an exception), and that must not cost a paid run its images: the file is kept, its check recorded as not
    /// checked with the fault named, and the fault logged as an error for someone to fix.
    /// </summary>
    private BrandCheckResult CheckBrand(NetVips.Image decoded, int width, int height, BrandCheckContext brand, string name)
    {
        try
        {
            return BrandChecker.Check(decoded, width, height, brand);
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            LogBrandCheckFault(logger, e, name);
            return BrandCheckResult.NotChecked($"The brand check failed with an internal error ({e.GetType().Name}); the image was kept and the error logged.", brand.BrandRevisionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The brand check of {File} failed with an internal error; the image is kept, marked not checked")]
    private static partial void LogBrandCheckFault(ILogger logger, Exception exception, string file);

    /// <exception cref="RunIngestException">The manifest or a file is not what it should be; nothing was committed.</exception>
    /// <param name="background">What the job asked for: when <see cref="Backgrounds.Transparent"/>, each file's real alpha is
    /// checked and an opaque one is stored with a warning rather than passing silently.</param>
    /// <param name="brand">The brand to check each candidate against (on its thumbnail, while it is decoded); null for a run without one.
    /// A check never fails the ingest: one that cannot run is recorded as not checked, with the reason.</param>
    public async Task<IngestedRun> StoreAsync(GenerateManifest manifest, string outputFolder, RunPlace place, string background = Backgrounds.Auto,
        BrandCheckContext? brand = null, CancellationToken cancellationToken = default)
    {
        try
        {
            if (manifest.Images.Count == 0)
            {
                throw new InvalidDataException("the manifest lists no images.");
            }
            // Each file's probe, hash, thumbnail and brand check is its own work: the files are taken side by side, one
            // per core (4 offline 1024x1024 PNGs: 158 -> 109 ms on 2 cores; BENCHMARKS.md, "Ingest"), kept in the manifest's order.
            var checkedImages = new CheckedImage[manifest.Images.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, manifest.Images.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
                async (index, token) => checkedImages[index] = await CheckAsync(manifest.Images[index], outputFolder, background, brand, token));
            var keys = images.Commit(outputFolder, place);
            var stored = checkedImages
                .Select(i => new StoredImage(keys[i.Name], i.Format, i.Width, i.Height, i.Bytes, i.Sha256, i.Seed, keys[i.Thumbnail], i.Warning,
                    i.Original is null ? null : keys[i.Original], i.Check))
                .ToList();
            return new IngestedRun(stored, manifest.Provider ?? new RunFacts(), manifest.Error);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NetVips.VipsException or KeyNotFoundException)
        {
            images.Delete(place);
            throw new RunIngestException($"imagegen's output could not be stored: {e.Message}", e);
        }
    }
}
