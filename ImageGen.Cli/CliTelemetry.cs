using ImageGen.Core.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ImageGen.Cli;

/// <summary>
/// The CLI's tracing: when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the worker passes on what the AppHost gave
/// it), spans of the ImageGen source are exported over OTLP; protocol and headers come from the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> variables. Disposing flushes them before the process exits. Without an
/// endpoint nothing is set up and the CLI pays nothing.
/// </summary>
internal static class CliTelemetry
{
    public const string DefaultServiceName = "imagegen-cli";

    public static TracerProvider? Start()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            return null;
        }
        var serviceName = Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME");
        return Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService(string.IsNullOrWhiteSpace(serviceName) ? DefaultServiceName : serviceName))
            .AddSource(ImageGenTelemetry.Name)
            .AddHttpClientInstrumentation()
            .AddOtlpExporter()
            .Build();
    }
}
