using ImageGen.Core.Spec;
namespace ImageGen.Core.Generation;

public static class RunStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
}

/// <summary>A file the worker has put in its run's place, ready to be recorded.</summary>
/// <param name="Warning">What a person should know before using it (e.g. a transparent background was asked and it is opaque).</param>
/// <param name="OriginalPath">The provider's own file, kept beside a converted candidate.</param>
/// <param name="BrandCheck">The candidate checked against its brand at ingest; null when the run had no brand.</param>
public sealed record StoredImage(string RelativePath, string Format, int Width, int Height, long Bytes, string Sha256, long? Seed,
    string? ThumbnailPath = null, string? Warning = null, string? OriginalPath = null, BrandCheck.BrandCheckResult? BrandCheck = null);

/// <summary>What <see cref="RunIngest"/> took in: the stored images, the provider's facts, and why the run stopped short when it did.</summary>
public sealed record IngestedRun(IReadOnlyList<StoredImage> Images, RunFacts Facts, CliError? Shortfall);

