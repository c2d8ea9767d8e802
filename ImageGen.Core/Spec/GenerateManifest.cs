using System.Text.Json;

namespace ImageGen.Core.Spec;

/// <summary>
/// What <c>imagegen generate --json</c> prints on stdout and writes as the run folder's sidecar
/// (<see cref="SidecarFileName"/>). The worker reads it; keep the shape stable.
/// </summary>
public sealed record GenerateManifest
{
    public const string SidecarFileName = "imagegen.json";

    public required string Model { get; init; }
    public required string Prompt { get; init; }
    /// <summary>What was made, resolved: the size in pixels, the format, the count and the first image's seed.</summary>
    public required ManifestSettings Settings { get; init; }

    /// <summary>The spec the CLI ran (from <c>--spec</c> or its flags), with every input file pinned to the hash it read.</summary>
    public JobSpec? Spec { get; init; }
    public required IReadOnlyList<ManifestImage> Images { get; init; }

    /// <summary>The images that went into the request (source, references, mask), by hash; null for text only.</summary>
    public IReadOnlyList<ManifestInput>? Inputs { get; init; }

    /// <summary>What the provider said (size sent, request ids, model version, usage), the cost, and the seed note.</summary>
    public RunFacts? Provider { get; init; }

    /// <summary>Why the run stopped short (<see cref="RunFacts.Missing"/> images missing): the images listed were still made and written.</summary>
    public CliError? Error { get; init; }
    public string Generator { get; init; } = $"imagegen {typeof(GenerateManifest).Assembly.GetName().Version?.ToString(3)}";

    public string ToJson(bool indented = true) => indented ? JsonSerializer.Serialize(this, Json.IndentedContext.GenerateManifest) : JsonSerializer.Serialize(this, Json.Context.GenerateManifest);

    public static GenerateManifest FromJson(string json) =>
        JsonSerializer.Deserialize(json, Json.Context.GenerateManifest)
        ?? throw new JsonException("The manifest is empty.");
}

/// <param name="Seed">The seed of the first image; null when the model takes no seed.</param>
public sealed record ManifestSettings(int Width, int Height, string AspectRatio, string Format, int Count, long? Seed,
    string Background = Backgrounds.Auto, string Quality = Qualities.Auto);

/// <param name="Role">source, reference or mask.</param>
/// <param name="Sha256">The hash of the file as given (not of a smaller copy sent in its place).</param>
/// <param name="Note">What was done to it before sending (e.g. made smaller), when anything was.</param>
public sealed record ManifestInput(string Role, string Name, string Sha256, string Format, int Width, int Height, string? Note = null);

/// <param name="Seed">The seed that made it; null when the model takes no seed.</param>
/// <param name="Note">What the CLI did with the provider's file (stored as sent, or resized and converted).</param>
/// <param name="Original">The provider's own file, kept beside a converted image (a name in the same folder).</param>
public sealed record ManifestImage(string Path, int Width, int Height, string Format, long Bytes, long? Seed, string? Note = null, string? Original = null);

/// <summary>What the CLI prints on stdout with <c>--json</c> when it fails, so the worker gets its words and retry hint.</summary>
public sealed record CliError(string Kind, string Message, double? RetryAfterSeconds = null)
{
    public string ToJson() => JsonSerializer.Serialize(new CliErrorEnvelope(this), Json.Context.CliErrorEnvelope);

    /// <summary>The error <c>imagegen --json</c> printed, alone or in a manifest; null when there is none.</summary>
    public static CliError? TryParse(string stdout) => CliReport.Parse(stdout).Error;
}

/// <summary>The CLI's exit codes: the worker retries only <see cref="Transient"/>.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Usage = 2;
    public const int Permanent = 3;
    public const int Transient = 4;

    /// <summary>The CLI stopped itself: its worker stopped sending heartbeats (frozen, killed, or unable to renew).</summary>
    public const int WorkerGone = 5;

    public const int Canceled = 130;

    /// <summary>The exit code of a failure of this kind.</summary>
    public static int Of(ErrorKind kind) => kind switch
    {
        ErrorKind.Usage => Usage,
        ErrorKind.Permanent => Permanent,
        _ => Transient,
    };
}

/// <summary>
/// How a CLI started by the worker keeps from outliving it or its lease: the worker sets <see cref="TimeoutVariable"/>
/// (seconds) and writes a line to the CLI's standard input as it starts it (the claim's time) and after every lease
/// renewal (that renewal's time). Times are <see cref="Environment.TickCount64"/>, the monotonic clock the whole machine
/// shares, so a CLI that started or read late still counts from the renewal, not from when it noticed. The CLI exits
/// with <see cref="ExitCodes.WorkerGone"/> at end of input (the worker died), when the newest renewal it has read is
/// older than the timeout (the worker froze or could not renew), or when no line came within the timeout of its start.
/// The worker keeps the timeout at half the lease: by the time another worker can claim the job again, this CLI has
/// ended, so a job never has two CLIs at once. A line that is not a number counts as a beat at the moment it is read.
/// </summary>
public static class CliHeartbeat
{
    public const string TimeoutVariable = "IMAGEGEN_HEARTBEAT_TIMEOUT";
}
