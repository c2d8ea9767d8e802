namespace ImageGen.Core.Spec;

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
