using System.Diagnostics;

namespace ImageGen.Core.Telemetry;

/// <summary>
/// The product's ActivitySource. Every process registers it (ServiceDefaults, the CLI), so spans from the web
/// app, the worker and the CLI land in one trace per job.
/// </summary>
public static class ImageGenTelemetry
{
    /// <summary>The ActivitySource and Meter name.</summary>
    public const string Name = "ImageGen";

    public static ActivitySource Source { get; } = new(Name, typeof(ImageGenTelemetry).Assembly.GetName().Version?.ToString(3));

    /// <summary>The W3C trace context environment variable the worker hands to the CLI.</summary>
    public const string TraceParentVariable = "TRACEPARENT";

    /// <summary>Parses a stored W3C <c>traceparent</c>; default when it is missing or malformed.</summary>
    public static ActivityContext ParseParent(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
}
