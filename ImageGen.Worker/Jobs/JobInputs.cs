using System.Security.Cryptography;
using ImageGen.Core.Files;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Worker.Jobs;

/// <summary>A snapshotted input file is missing or no longer the file the job was queued with.</summary>
public sealed class JobInputException(string message) : Exception(message);

/// <summary>
/// A job's snapshotted input files made local for the CLI: each one's place under the data folder becomes its real path,
/// after checking it against the hash the spec recorded when the job was queued, so the CLI sends exactly what the user
/// chose (or the job fails, saying which file is wrong). The CLI checks the hash again as it reads the file.
/// </summary>
public static class JobInputs
{
    /// <exception cref="JobInputException">A file is missing from the store or its content changed.</exception>
    public static async Task<JobSpec> LocalizeAsync(JobSpec spec, IImageStore store)
    {
        if (spec.References is not { Count: > 0 } && spec.Source is null && spec.Mask is null)
        {
            return spec;
        }
        var references = new List<InputFile>();
        foreach (var reference in spec.References ?? [])
        {
            references.Add(await CheckedAsync(reference, store, "reference"));
        }
        return spec with
        {
            References = references.Count == 0 ? null : references,
            Source = spec.Source is { } source ? await CheckedAsync(source, store, "source image") : null,
            Mask = spec.Mask is { } mask ? await CheckedAsync(mask, store, "mask") : null,
        };
    }

    private static async Task<InputFile> CheckedAsync(InputFile input, IImageStore store, string what)
    {
        var file = store.LocalFile(input.Path)
            ?? throw new JobInputException($"The {what} {input.Describe()} is missing from the data folder; queue the job again with the files that are there.");
        await using var stream = File.OpenRead(file);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
        return hash == input.Sha256
            ? input with { Path = file }
            : throw new JobInputException($"The {what} {input.Describe()} changed after the job was queued (its SHA-256 is now {hash[..8]}); nothing was sent.");
    }
}
