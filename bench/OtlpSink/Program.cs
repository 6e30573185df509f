// A cheap OTLP trace endpoint for the load benchmark: accepts and discards.
//
//   OtlpSink --control PORT --grpc PORT[,PORT...] --http PORT[,PORT...]
//
// gRPC ports (h2c, prior knowledge): POST /opentelemetry.proto.collector.trace.v1.TraceService/Export, answered with an
// empty ExportTraceServiceResponse (5-byte frame prefix, empty message, trailer grpc-status 0).
// HTTP ports (HTTP/1.1): POST /v1/traces, answered 200 with an empty ExportTraceServiceResponse.
// Metrics (the metrics scenarios) are accepted and discarded on both kinds of port, uncounted: gRPC
// MetricsService/Export and HTTP POST /v1/metrics, answered like traces.
// Per listening port it counts requests, body bytes as received on the wire (compressed, when the exporter
// compresses) and spans (by walking the protobuf down to the Span fields; gzip bodies are inflated for that).
// Control port: GET /stats (JSON, per port), POST /reset.
// --dump DIR writes every (inflated) ExportTraceServiceRequest to DIR, for bench/otlp_dump.py to print.
using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

var control = 0;
var grpcPorts = new List<int>();
var httpPorts = new List<int>();
string? dump = null;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    var ports = args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);
    switch (args[i])
    {
        case "--control": control = int.Parse(args[i + 1]); break;
        case "--grpc": grpcPorts.AddRange(ports); break;
        case "--http": httpPorts.AddRange(ports); break;
        case "--dump": dump = args[i + 1]; Directory.CreateDirectory(dump); break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

if (control == 0)
{
    Console.Error.WriteLine("usage: OtlpSink --control PORT [--grpc PORT,...] [--http PORT,...]");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
    kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
    kestrel.Listen(IPAddress.Loopback, control, o => o.Protocols = HttpProtocols.Http1);
    foreach (var port in grpcPorts)
    {
        kestrel.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2);
    }

    foreach (var port in httpPorts)
    {
        kestrel.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http1);
    }
});

var app = builder.Build();
var counters = new ConcurrentDictionary<int, PortCounters>();
PortCounters For(HttpContext context) => counters.GetOrAdd(context.Connection.LocalPort, _ => new PortCounters());
byte[] emptyGrpcMessage = [0, 0, 0, 0, 0];

app.MapPost("/opentelemetry.proto.collector.trace.v1.TraceService/Export", async context =>
{
    var body = await Body.ReadAsync(context.Request);
    try
    {
        var gzip = context.Request.Headers["grpc-encoding"] == "gzip";
        var spans = 0L;
        var offset = 0;
        while (offset + 5 <= body.Length)
        {
            var compressed = body.Buffer[offset] == 1;
            var length = (body.Buffer[offset + 1] << 24) | (body.Buffer[offset + 2] << 16) | (body.Buffer[offset + 3] << 8) | body.Buffer[offset + 4];
            var message = new ReadOnlyMemory<byte>(body.Buffer, offset + 5, Math.Min(length, body.Length - offset - 5));
            spans += CountAndDump(message, compressed && gzip);
            offset += 5 + length;
        }

        For(context).Add(body.Length, spans);
        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(emptyGrpcMessage);
        context.Response.AppendTrailer("grpc-status", "0");
    }
    finally
    {
        body.Dispose();
    }
});

app.MapPost("/v1/traces", async context =>
{
    var body = await Body.ReadAsync(context.Request);
    try
    {
        var message = new ReadOnlyMemory<byte>(body.Buffer, 0, body.Length);
        var spans = CountAndDump(message, context.Request.Headers.ContentEncoding == "gzip");
        For(context).Add(body.Length, spans);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-protobuf";
        context.Response.ContentLength = 0;
    }
    finally
    {
        body.Dispose();
    }
});

app.MapPost("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", async context =>
{
    (await Body.ReadAsync(context.Request)).Dispose();
    context.Response.ContentType = "application/grpc";
    await context.Response.Body.WriteAsync(emptyGrpcMessage);
    context.Response.AppendTrailer("grpc-status", "0");
});

app.MapPost("/v1/metrics", async context =>
{
    (await Body.ReadAsync(context.Request)).Dispose();
    context.Response.StatusCode = 200;
    context.Response.ContentType = "application/x-protobuf";
    context.Response.ContentLength = 0;
});

app.MapGet("/stats", (HttpContext context) =>
{
    if (context.Connection.LocalPort != control)
    {
        return Results.NotFound();
    }

    var snapshot = counters.ToDictionary(
        c => c.Key.ToString(System.Globalization.CultureInfo.InvariantCulture),
        c => new Dictionary<string, long> { ["requests"] = c.Value.Requests, ["bytes"] = c.Value.Bytes, ["spans"] = c.Value.Spans });
    return Results.Text(JsonSerializer.Serialize(snapshot), "application/json");
});

app.MapPost("/reset", (HttpContext context) =>
{
    if (context.Connection.LocalPort != control)
    {
        return Results.NotFound();
    }

    counters.Clear();
    return Results.Text("ok");
});

app.Run();
return 0;

long CountAndDump(ReadOnlyMemory<byte> message, bool gzipped)
{
    if (gzipped)
    {
        message = Body.Gunzip(message);
    }

    if (dump is not null)
    {
        File.WriteAllBytes(Path.Combine(dump, $"{DateTime.UtcNow:HHmmss.fffffff}-{Guid.NewGuid():N}.pb"), message.ToArray());
    }

    return Protobuf.CountSpans(message.Span);
}

internal sealed class PortCounters
{
    private long _requests;
    private long _bytes;
    private long _spans;

    public long Requests => Interlocked.Read(ref _requests);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Spans => Interlocked.Read(ref _spans);

    public void Add(long bytes, long spans)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Add(ref _spans, spans);
    }
}

/// <summary>A request body in a pooled buffer.</summary>
internal readonly struct Body(byte[] buffer, int length) : IDisposable
{
    public byte[] Buffer { get; } = buffer;

    public int Length { get; } = length;

    public static async Task<Body> ReadAsync(HttpRequest request)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 64 * 1024, 1024, 64 * 1024 * 1024));
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(length));
            if (read == 0)
            {
                return new Body(buffer, length);
            }

            length += read;
        }
    }

    public static byte[] Gunzip(ReadOnlyMemory<byte> compressed)
    {
        using var input = new MemoryStream(compressed.ToArray());
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(Buffer);
}

/// <summary>Counts spans in an ExportTraceServiceRequest without decoding them.</summary>
internal static class Protobuf
{
    // ExportTraceServiceRequest.resource_spans = 1; ResourceSpans.scope_spans = 2; ScopeSpans.spans = 2.
    public static long CountSpans(ReadOnlySpan<byte> request)
    {
        long spans = 0;
        foreach (var resourceSpans in Fields(request, 1))
        {
            foreach (var scopeSpans in Fields(request.Slice(resourceSpans.Start, resourceSpans.Length), 2))
            {
                spans += Fields(request.Slice(resourceSpans.Start, resourceSpans.Length).Slice(scopeSpans.Start, scopeSpans.Length), 2).Count;
            }
        }

        return spans;
    }

    /// <summary>The (offset, length) of every length-delimited field <paramref name="number"/> in <paramref name="message"/>.</summary>
    private static List<(int Start, int Length)> Fields(ReadOnlySpan<byte> message, int number)
    {
        var found = new List<(int, int)>();
        var i = 0;
        while (i < message.Length)
        {
            var key = ReadVarint(message, ref i);
            var wireType = (int)(key & 7);
            var field = (int)(key >> 3);
            switch (wireType)
            {
                case 0: ReadVarint(message, ref i); break;
                case 1: i += 8; break;
                case 5: i += 4; break;
                case 2:
                    var length = (int)ReadVarint(message, ref i);
                    if (field == number)
                    {
                        found.Add((i, length));
                    }

                    i += length;
                    break;
                default: throw new InvalidDataException($"unsupported wire type {wireType}");
            }
        }

        return found;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        return value;
    }
}
