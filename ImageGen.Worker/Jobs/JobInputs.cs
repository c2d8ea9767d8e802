using System.Security.Cryptography;
using ImageGen.Core.Files;
using ImageGen.Core.Generation;

namespace ImageGen.Worker.Jobs;

/// <summary>A snapshotted input file is missing or no longer the file the job was queued with.</summary>
public sealed class JobInputException(string message) : Exception(message);

/// <summary>
/// The local files of a job's snapshotted inputs, checked against the hashes its payload recorded when it was queued, so
/// the CLI sends exactly what the user chose (or the job fails, saying which file is wrong).
/// </summary>
public sealed record JobInputs(IReadOnlyList<string> References, string? Source)
{
    public static JobInputs None { get; } = new([], null);

    /// <exception cref="JobInputException">A file is missing from the store or its content changed.</exception>
    public static async Task<JobInputs> ResolveAsync(GeneratePayload payload, IImageStore store)
    {
        if (payload.References is not { Count: > 0 } && payload.Source is null)
        {
            return None;
        }
        var references = new List<string>();
        foreach (var reference in payload.References ?? [])
        {
            references.Add(await CheckedAsync(reference, store, "reference"));
        }
        var source = payload.Source is { } s ? await CheckedAsync(s, store, "source image") : null;
        return new JobInputs(references, source);
    }

    private static async Task<string> CheckedAsync(InputFile input, IImageStore store, string what)
    {
        var file = store.LocalFile(input.Path)
            ?? throw new JobInputException($"The {what} {input.Describe()} is missing from the data folder; queue the job again with the files that are there.");
        await using var stream = File.OpenRead(file);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
        return hash == input.Sha256
            ? file
            : throw new JobInputException($"The {what} {input.Describe()} changed after the job was queued (its SHA-256 is now {hash[..8]}); nothing was sent.");
    }
}
