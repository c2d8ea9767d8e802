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

/// <summary>
/// What the provider said about a run and what it cost, as the CLI's manifest reports it (<c>provider</c>); stored with the run
/// (<c>runs.provider_json</c>, <c>cost_usd</c>, <c>missing</c>) and shown on its header.
/// </summary>
public sealed record RunFacts
{
    public string? SentSize { get; init; }

    /// <summary>
    /// Set when the model could not make the size asked and its smaller image was upscaled locally (a 4096² request to a
    /// model whose largest is 2048²), in words for the run header: the file has the pixels asked, not the detail.
    /// </summary>
    public string? SizeNote { get; init; }
    public string? SeedNote { get; init; }
    public IReadOnlyList<string>? RequestIds { get; init; }
    public string? ModelVersion { get; init; }
    public ModelUsage? Usage { get; init; }
    public RunCost? Cost { get; init; }

    /// <summary>Images asked for that the provider did not deliver before it failed.</summary>
    public int? Missing { get; init; }

    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, Json.Context.RunFacts);

    /// <summary>The stored facts, or null when there are none or they cannot be read (an older row).</summary>
    public static RunFacts? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(json, Json.Context.RunFacts);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
