using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageGen.AppHost.Tests;

/// <summary>A span as received: ids in hex, the exporting service's name, and the name of the instrumentation scope (ActivitySource) that made it.</summary>
public sealed record ReceivedSpan(string Service, string Name, string TraceId, string SpanId, string ParentSpanId, string Scope = "");

/// <summary>A metric as received: the exporting service, the instrumentation scope (Meter) and the metric's name.</summary>
public sealed record ReceivedMetric(string Service, string Scope, string Name);

/// <summary>
/// An OTLP/HTTP (protobuf) trace receiver on loopback: what the processes under test export to instead of the
/// Aspire dashboard. Only the fields a test needs are decoded (OTLP trace.proto: ResourceSpans → Resource attributes and
/// ScopeSpans → scope name, Span ids and name; metrics.proto: ResourceMetrics → ScopeMetrics → scope and Metric name);
/// logs are accepted and dropped.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    public ConcurrentQueue<ReceivedMetric> Metrics { get; } = new();

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            foreach (var span in Decode(body.ToArray()))
            {
                receiver.Spans.Enqueue(span);
            }
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            foreach (var metric in DecodeMetrics(body.ToArray()))
            {
                receiver.Metrics.Enqueue(metric);
            }
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/logs", () => Results.Bytes([], "application/x-protobuf"));
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    private static IEnumerable<ReceivedSpan> Decode(byte[] request)
    {
        foreach (var resourceSpans in Protobuf.Fields(request).Where(f => f.Number == 1))
        {
            var fields = Protobuf.Fields(resourceSpans.Bytes).ToList();
            var service = fields.Where(f => f.Number == 1).SelectMany(r => ServiceName(r.Bytes)).FirstOrDefault() ?? "?";
            foreach (var scopeSpans in fields.Where(f => f.Number == 2))
            {
                var scope = ScopeName(scopeSpans.Bytes);
                foreach (var span in Protobuf.Fields(scopeSpans.Bytes).Where(f => f.Number == 2))
                {
                    var spanFields = Protobuf.Fields(span.Bytes).ToList();
                    string Hex(int number) => Convert.ToHexStringLower(spanFields.FirstOrDefault(f => f.Number == number).Bytes.Span);
                    var name = System.Text.Encoding.UTF8.GetString(spanFields.First(f => f.Number == 5).Bytes.Span);
                    yield return new ReceivedSpan(service, name, Hex(1), Hex(2), Hex(4), scope);
                }
            }
        }
    }

    // ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; } ResourceMetrics { Resource resource = 1;
    // repeated ScopeMetrics scope_metrics = 2; } ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; } Metric { string name = 1; }
    private static IEnumerable<ReceivedMetric> DecodeMetrics(byte[] request)
    {
        foreach (var resourceMetrics in Protobuf.Fields(request).Where(f => f.Number == 1))
        {
            var fields = Protobuf.Fields(resourceMetrics.Bytes).ToList();
            var service = fields.Where(f => f.Number == 1).SelectMany(r => ServiceName(r.Bytes)).FirstOrDefault() ?? "?";
            foreach (var scopeMetrics in fields.Where(f => f.Number == 2))
            {
                var scope = ScopeName(scopeMetrics.Bytes);
                foreach (var metric in Protobuf.Fields(scopeMetrics.Bytes).Where(f => f.Number == 2))
                {
                    var name = Protobuf.Fields(metric.Bytes).First(f => f.Number == 1).Bytes;
                    yield return new ReceivedMetric(service, scope, System.Text.Encoding.UTF8.GetString(name.Span));
                }
            }
        }
    }

    // ScopeSpans / ScopeMetrics { InstrumentationScope scope = 1; … } InstrumentationScope { string name = 1; }
    private static string ScopeName(ReadOnlyMemory<byte> scoped) =>
        Protobuf.Fields(scoped).Where(f => f.Number == 1)
            .SelectMany(scope => Protobuf.Fields(scope.Bytes).Where(f => f.Number == 1))
            .Select(name => System.Text.Encoding.UTF8.GetString(name.Bytes.Span)).FirstOrDefault() ?? "";

    // Resource { repeated KeyValue attributes = 1; } KeyValue { string key = 1; AnyValue value = 2; } AnyValue { string string_value = 1; }
    private static IEnumerable<string> ServiceName(ReadOnlyMemory<byte> resource)
    {
        foreach (var attribute in Protobuf.Fields(resource).Where(f => f.Number == 1))
        {
            var kv = Protobuf.Fields(attribute.Bytes).ToList();
            if (System.Text.Encoding.UTF8.GetString(kv.First(f => f.Number == 1).Bytes.Span) == "service.name")
            {
                yield return System.Text.Encoding.UTF8.GetString(Protobuf.Fields(kv.First(f => f.Number == 2).Bytes).First(f => f.Number == 1).Bytes.Span);
            }
        }
    }

    /// <summary>The protobuf wire format, just enough to walk messages: varints, fixed widths and length-delimited fields.</summary>
    private static class Protobuf
    {
        public readonly record struct Field(int Number, ReadOnlyMemory<byte> Bytes);

        public static IEnumerable<Field> Fields(ReadOnlyMemory<byte> message)
        {
            var position = 0;
            while (position < message.Length)
            {
                var key = ReadVarint(message.Span, ref position);
                var number = (int)(key >> 3);
                switch ((int)(key & 7))
                {
                    case 0:
                        ReadVarint(message.Span, ref position);
                        yield return new Field(number, default);
                        break;
                    case 1:
                        yield return new Field(number, message.Slice(position, 8));
                        position += 8;
                        break;
                    case 2:
                        var length = (int)ReadVarint(message.Span, ref position);
                        yield return new Field(number, message.Slice(position, length));
                        position += length;
                        break;
                    case 5:
                        yield return new Field(number, message.Slice(position, 4));
                        position += 4;
                        break;
                    default:
                        throw new InvalidDataException($"Unsupported protobuf wire type {key & 7}.");
                }
            }
        }

        private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }
    }
}
