using System.IO.Compression;
using System.Text.Json;
using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Core.Storage;

/// <summary>
/// Writes a work item's bundle to <c>exports/</c>: the final image, optionally every candidate, and
/// <c>metadata.json</c> with the brief, the brand text, each run's composed prompt, settings and model, each
/// candidate's seed, score, star and brand check, the picks with their reasons and the finals. Written to a temporary name
/// and renamed, so a half-written zip is never offered.
/// </summary>
public sealed class ExportBuilder(RunQueries runs, ComparisonStore comparisons, FinalStore finals, DataRoot root, TimeProvider time)
{
    /// <returns>The zip's file name under the exports folder.</returns>
    // metadata.json is one anonymous object, serialized by reflection: the web app (JIT) builds exports, the CLI never does.
    [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode("Serializes an anonymous type by reflection.")]
    [System.Diagnostics.CodeAnalysis.RequiresDynamicCode("Serializes an anonymous type by reflection.")]
    public async Task<string> BuildAsync(WorkItemDetail item, bool includeCandidates, CancellationToken cancellationToken)
    {
        var history = await runs.AllForWorkItemAsync(item.Id, cancellationToken: cancellationToken);
        var state = await comparisons.GetStateAsync(item.Id, cancellationToken);
        var finalHistory = await finals.HistoryAsync(item.Id, cancellationToken);
        var scores = state.Candidates.ToDictionary(c => c.ImageId, c => c.Score);
        var now = time.GetUtcNow();

        Directory.CreateDirectory(root.ExportsDir);
        var name = $"{item.ProjectSlug}-{item.Slug}-{now:yyyyMMdd-HHmmss}.zip";
        var destination = Path.Combine(root.ExportsDir, name);
        var staging = destination + ".partial";
        await using (var stream = File.Create(staging))
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
        {
            // Every file comes from a path stored in the database; each is resolved inside the data folder's images and
            // assets (never the database, another export or scratch), and one that is not there is named in leftOut.
            var leftOut = new List<LeftOutFile>();
            bool Add(string storedPath, string entryName, long? imageId)
            {
                var file = root.ResolveStoredImage(storedPath);
                if (file is not null && File.Exists(file))
                {
                    zip.CreateEntryFromFile(file, entryName, CompressionLevel.NoCompression);
                    return true;
                }
                leftOut.Add(new LeftOutFile(entryName, imageId, storedPath, file is null ? LeftOutFile.Outside : LeftOutFile.Missing));
                return false;
            }
            var current = finalHistory.Count > 0 ? finalHistory[0] : null;
            var finalEntry = current is not null && Add(current.Path, $"final/{SafeEntryName(Path.GetFileName(current.Path))}", current.RunImageId)
                ? $"final/{SafeEntryName(Path.GetFileName(current.Path))}"
                : null;
            var candidateEntries = new Dictionary<long, string>();
            if (includeCandidates)
            {
                foreach (var image in history.SelectMany(r => r.Images))
                {
                    var entryName = $"candidates/run-{image.RunId}/{SafeEntryName(image.FileName)}";
                    if (Add(image.Path, entryName, image.Id))
                    {
                        candidateEntries[image.Id] = entryName;
                    }
                }
            }
            // The reference images that went into the runs, once each, named by content hash: the bundle says exactly what
            // went in and carries it. (A source image is a candidate: it is in candidates/ when those are included.)
            var referenceEntries = new HashSet<string>(StringComparer.Ordinal);
            foreach (var reference in history.SelectMany(r => r.Spec.References ?? []).DistinctBy(r => r.Sha256))
            {
                if (Add(reference.Path, InputEntryName(reference), null))
                {
                    referenceEntries.Add(InputEntryName(reference));
                }
            }
            var metadata = new
            {
                exportedAt = now,
                workItem = new { item.Name, item.Slug, item.Type, item.Prompt, item.Constraints, item.Status, project = item.ProjectSlug },
                brand = item.EffectiveBrandSlug is null ? null : new { name = item.EffectiveBrandName, slug = item.EffectiveBrandSlug, text = item.EffectiveBrandMarkdown },
                final = current is null ? null : new { imageId = current.RunImageId, file = finalEntry, chosenAt = DateTimeOffset.FromUnixTimeMilliseconds(current.CreatedAt) },
                finals = finalHistory.Select(f => new { imageId = f.RunImageId, chosenAt = DateTimeOffset.FromUnixTimeMilliseconds(f.CreatedAt), replacedAt = f.ReplacedAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : (DateTimeOffset?)null }),
                runs = history.Select(r => new
                {
                    id = r.Id, jobId = r.JobId, r.Model, composedPrompt = r.Prompt, settings = r.Spec,
                    references = r.Spec.References?.Select(i => new { i.AssetId, i.Name, i.Role, i.Sha256, file = referenceEntries.Contains(InputEntryName(i)) ? InputEntryName(i) : null }),
                    source = r.Spec.Source is { } src ? new { src.ImageId, src.Sha256 } : null,
                    r.Status, r.ErrorMessage, parentRunId = r.ParentRunId, r.Adjustment, createdAt = DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
                    costUsd = r.CostUsd, missing = r.Missing, provider = r.Facts,
                    candidates = r.Images.Select(i => new
                    {
                        imageId = i.Id, file = candidateEntries.GetValueOrDefault(i.Id), i.Seed, i.Width, i.Height, i.Format, i.Sha256,
                        score = scores.GetValueOrDefault(i.Id), starred = i.Starred,
                        brandCheck = i.BrandCheck,
                    }),
                }),
                spend = new
                {
                    usd = history.Sum(r => r.CostUsd ?? 0), pricedRuns = history.Count(r => r.CostUsd is not null),
                    unpricedRuns = history.Count(r => r.CostUsd is null && r.Status == Generation.RunStatus.Succeeded),
                },
                picks = state.Picks.Select(p => new { p.LeftImageId, p.RightImageId, winnerImageId = p.WinnerImageId, p.Reason, at = DateTimeOffset.FromUnixTimeMilliseconds(p.CreatedAt) }),
                leftOut,
            };
            var entry = zip.CreateEntry("metadata.json");
            await using var writer = entry.Open();
            await JsonSerializer.SerializeAsync(writer, metadata, Json.Indented, cancellationToken);
        }
        File.Move(staging, destination, overwrite: true);
        return name;
    }

    /// <summary>A file the bundle would have carried and does not, and why (metadata.json's <c>leftOut</c>).</summary>
    /// <param name="Entry">The name it would have had in the zip.</param>
    /// <param name="ImageId">The candidate or final it is, when it is one.</param>
    /// <param name="StoredPath">The path the database gave for it, as stored.</param>
    /// <param name="Reason"><see cref="Outside"/> or <see cref="Missing"/>.</param>
    private sealed record LeftOutFile(string Entry, long? ImageId, string StoredPath, string Reason)
    {
        public const string Outside = "its stored path leads outside the data folder's images and assets, so it was not read";
        public const string Missing = "the file is missing from the data folder";
    }

    private static string InputEntryName(InputFile input) => $"references/{input.Sha256}.{ImageGen.Core.Spec.ImageFormats.Extension(input.Format)}";

    /// <summary>
    /// A zip entry's last segment made safe for every unzip tool: the last name after any slash or backslash, only
    /// letters, digits, '-', '_' and '.', never starting with a dot (no "..", no hidden files), never empty.
    /// </summary>
    public static string SafeEntryName(string name)
    {
        var last = name.Split('/', '\\').Last();
        var safe = new string(last.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_').ToArray()).TrimStart('.');
        return safe.Length == 0 ? "file" : safe;
    }

    /// <summary>The full path of an export by its file name; null for anything that is not a plain zip name in the folder.</summary>
    public string? Resolve(string fileName)
    {
        if (fileName.Length > 200 || !fileName.EndsWith(".zip", StringComparison.Ordinal) || fileName.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.')) || fileName.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }
        var path = Path.Combine(root.ExportsDir, fileName);
        return File.Exists(path) ? path : null;
    }
}
