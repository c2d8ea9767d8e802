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
public sealed record StoredImage(string RelativePath, string Format, int Width, int Height, long Bytes, string Sha256, long? Seed, string? ThumbnailPath = null, string? Warning = null);
