using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Hyperspot.TestBackend;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Hyperspot.IntegrationTests.Support;

/// <summary>What <see cref="FaultyOtlpEndpoint"/> does with the next export requests.</summary>
public enum OtlpFault
{
    /// <summary>Forward to the real backend (OTLP/HTTP only) or, without one, accept with an empty success answer.</summary>
    None,

    /// <summary>Read the request, then hold it for <see cref="FaultyOtlpEndpoint.Delay"/> before answering success.</summary>
    Slow,

    /// <summary>HTTP 503 (OTLP/HTTP), or HTTP 200 with <c>grpc-status: 14</c> UNAVAILABLE (OTLP/gRPC).</summary>
    Unavailable,

    /// <summary>HTTP 401 (OTLP/HTTP), or <c>grpc-status: 16</c> UNAUTHENTICATED (OTLP/gRPC).</summary>
    Unauthenticated,
}

/// <summary>One export request as the endpoint saw it.</summary>
/// <param name="Protocol">"http" or "grpc".</param>
/// <param name="BodyHash">SHA-256 of the request body: a retried batch is serialized to the same bytes.</param>
/// <param name="Duration">From the first byte until the answer was sent or the client gave up.</param>
/// <param name="ClientAborted">True when the exporter gave up (closed the connection or reset the stream) before the answer.</param>
/// <param name="Answer">The HTTP status sent, with the gRPC status for gRPC ("200/14"); null when the client gave up first.</param>
public sealed record ExportAttempt(
    DateTime Received,
    string Protocol,
    string Path,
    string BodyHash,
    int BodyLength,
    IReadOnlyDictionary<string, string> Headers,
    TimeSpan Duration,
    bool ClientAborted,
    string? Answer);

/// <summary>
/// A fault-injecting OTLP endpoint on loopback, in the test process: an HTTP/1.1 port for <c>otlp_http</c> and a
/// cleartext HTTP/2 port for <c>otlp_grpc</c>. It records every export request (time, body hash, headers, how long
/// it took, whether the exporter gave up) and answers as <see cref="Fault"/> says; with no fault it forwards
/// OTLP/HTTP requests to a real backend when one is given, so the same exporter can fail and recover.
/// </summary>
public sealed class FaultyOtlpEndpoint : IAsyncDisposable
{
    private static readonly byte[] EmptyGrpcMessage = [0, 0, 0, 0, 0];

    private readonly WebApplication _app;
    private readonly Uri? _forwardTo;
    private readonly HttpClient _forward = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentQueue<ExportAttempt> _attempts = new();
    private readonly CancellationTokenSource _disposing = new();
    private volatile OtlpFault _fault;
    private int _inFlight;

    private FaultyOtlpEndpoint(WebApplication app, int httpPort, int grpcPort, Uri? forwardTo)
    {
        _app = app;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
        _forwardTo = forwardTo;
    }

    public int HttpPort { get; }

    public int GrpcPort { get; }

    /// <summary>Base URL for <c>kind: otlp_http</c> (the exporter appends <c>/v1/traces</c>).</summary>
    public string HttpEndpoint => $"http://127.0.0.1:{HttpPort}";

    /// <summary>URL for <c>kind: otlp_grpc</c>.</summary>
    public string GrpcEndpoint => $"http://127.0.0.1:{GrpcPort}";

    public OtlpFault Fault
    {
        get => _fault;
        set => _fault = value;
    }

    /// <summary>How long <see cref="OtlpFault.Slow"/> holds a request.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Every finished export request (answered, or given up by the exporter), in order of completion.</summary>
    public IReadOnlyList<ExportAttempt> Attempts => [.. _attempts];

    /// <summary>Export requests received and not finished yet (being held by <see cref="OtlpFault.Slow"/>).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <param name="forwardHttpTo">The real backend's OTLP/HTTP base address, or null to answer success locally.</param>
    public static async Task<FaultyOtlpEndpoint> StartAsync(OtlpFault fault = OtlpFault.None, Uri? forwardHttpTo = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var httpPort = FreePorts.Pick();
            var grpcPort = FreePorts.Pick();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, httpPort, o => o.Protocols = HttpProtocols.Http1);
                kestrel.Listen(IPAddress.Loopback, grpcPort, o => o.Protocols = HttpProtocols.Http2);
                kestrel.Limits.MinRequestBodyDataRate = null;
            });
            var app = builder.Build();
            var endpoint = new FaultyOtlpEndpoint(app, httpPort, grpcPort, forwardHttpTo) { Fault = fault };
            app.Run(endpoint.HandleAsync);
            try
            {
                await app.StartAsync();
                return endpoint;
            }
            catch (IOException) when (attempt < 3)
            {
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> attempts matching <paramref name="predicate"/> were recorded.</summary>
    public async Task<IReadOnlyList<ExportAttempt>> WaitForAttemptsAsync(Func<ExportAttempt, bool> predicate, int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var matching = Attempts.Where(predicate).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Expected {count} matching export attempts within {timeout}; got {matching.Count} of {Attempts.Count}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until an export request is being held.</summary>
    public async Task WaitForInFlightAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (InFlight == 0)
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"No export request arrived within {timeout}.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
        _forward.Dispose();
        _disposing.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _inFlight);
        var started = Stopwatch.StartNew();
        var received = DateTime.UtcNow;
        var grpc = context.Request.Protocol == "HTTP/2";
        var fault = _fault;
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        string? answer = null;
        byte[] body = [];
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
            answer = grpc
                ? await AnswerGrpcAsync(context, fault)
                : await AnswerHttpAsync(context, fault, body);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException || context.RequestAborted.IsCancellationRequested)
        {
            answer = null;
        }
        finally
        {
            _attempts.Enqueue(new ExportAttempt(
                received,
                grpc ? "grpc" : "http",
                context.Request.Path.Value ?? "",
                Convert.ToHexStringLower(SHA256.HashData(body)),
                body.Length,
                headers,
                started.Elapsed,
                answer is null,
                answer));
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>
    /// What some backends put in a 401 answer: the credential they rejected, without its scheme word (the token of
    /// <c>Authorization: Bearer &lt;token&gt;</c>, the token of an Uptrace DSN). Empty when the export carried neither.
    /// </summary>
    private static string QuotedCredentials(IHeaderDictionary headers)
    {
        var quoted = new List<string>();
        if (headers.Authorization.ToString() is { Length: > 0 } authorization && authorization.Split(' ', 2) is [_, var token])
        {
            quoted.Add($"invalid token \"{token}\"");
        }

        if (headers["uptrace-dsn"].ToString() is { Length: > 0 } dsn && dsn.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0
            && dsn.IndexOf('@') is var at && at > scheme + 3)
        {
            quoted.Add($"unknown project token {dsn[(scheme + 3)..at]}");
        }

        return quoted.Count == 0 ? "" : ": " + string.Join("; ", quoted);
    }

    private async Task<string> AnswerHttpAsync(HttpContext context, OtlpFault fault, byte[] body)
    {
        switch (fault)
        {
            case OtlpFault.Slow:
                await HoldAsync(context);
                break;
            case OtlpFault.Unavailable:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "1";
                await context.Response.WriteAsync("fault injected: unavailable", context.RequestAborted);
                return "503";
            case OtlpFault.Unauthenticated:
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsync($"fault injected: unauthenticated{QuotedCredentials(context.Request.Headers)}", context.RequestAborted);
                return "401";
        }

        if (_forwardTo is null)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/x-protobuf";
            return "200";
        }

        using var forwarded = new HttpRequestMessage(HttpMethod.Post, new Uri(_forwardTo, context.Request.Path.Value))
        {
            Content = new ByteArrayContent(body),
        };
        forwarded.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType);
        foreach (var (name, value) in context.Request.Headers)
        {
            if (!name.StartsWith(':') && !IsHopOrContentHeader(name))
            {
                forwarded.Headers.TryAddWithoutValidation(name, value.ToArray());
            }
        }

        using var response = await _forward.SendAsync(forwarded, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType)
        {
            context.Response.ContentType = contentType.ToString();
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        return ((int)response.StatusCode).ToString();
    }

    private async Task<string> AnswerGrpcAsync(HttpContext context, OtlpFault fault)
    {
        if (fault == OtlpFault.Slow)
        {
            await HoldAsync(context);
        }

        var (status, message) = fault switch
        {
            OtlpFault.Unavailable => ("14", "fault injected: unavailable"),
            OtlpFault.Unauthenticated => ("16", "fault injected: unauthenticated"),
            _ => ("0", ""),
        };
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        if (status == "0")
        {
            await context.Response.Body.WriteAsync(EmptyGrpcMessage, context.RequestAborted);
        }

        context.Response.AppendTrailer("grpc-status", status);
        if (message.Length > 0)
        {
            context.Response.AppendTrailer("grpc-message", message);
        }

        return "200/" + status;
    }

    private async Task HoldAsync(HttpContext context)
    {
        using var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _disposing.Token);
        await Task.Delay(Delay, held.Token);
    }

    private static bool IsHopOrContentHeader(string name) =>
        name.Equals("Host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);
}
