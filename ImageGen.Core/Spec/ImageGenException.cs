namespace ImageGen.Core.Spec;

public enum ErrorKind
{
    /// <summary>The request itself is wrong (unknown model, bad size): fix the input.</summary>
    Usage,
    /// <summary>The provider refused for good (bad key, refused prompt): retrying will not help.</summary>
    Permanent,
    /// <summary>Worth retrying (rate limit, network, timeout).</summary>
    Transient,
}

/// <summary>A failure the CLI reports with its own exit code and message.</summary>
public sealed class ImageGenException(ErrorKind kind, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public int ExitCode => ExitCodes.Of(Kind);

    public static ImageGenException Usage(string message) => new(ErrorKind.Usage, message);
}
