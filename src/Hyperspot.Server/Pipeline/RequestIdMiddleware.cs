using System.Diagnostics;
using Hyperspot.Server.Logging;
using Hyperspot.Server.Telemetry;
using Microsoft.AspNetCore.Http;
using Serilog.Events;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Pipeline;

/// <summary>
/// Gives every request an id: the incoming <c>tracing.http.inject_request_id_header</c> when it is a sane value
/// (printable ASCII, at most 128 characters), otherwise a new unique, URL-safe one. The id is echoed on the
/// response (errors included), recorded on the server span as <c>request.id</c>, put on every log line of the
/// request as <c>request_id</c> (<see cref="RequestIdField.Name"/>), available to handlers through <see cref="RequestIdAccess.GetRequestId"/>, and put on
/// the outgoing calls made while serving the request (<see cref="RequestIdForwarding"/>, see
/// <see cref="RequestIdForwardingRegistration"/>).
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next, string headerName)
{
    public const string SpanAttribute = "request.id";
    public const string LogProperty = RequestIdField.Name;
    public const int MaxLength = 128;

    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[headerName];
        var id = incoming.Count == 1 && IsSane(incoming[0]) ? incoming[0]! : NewId();
        context.Features.Set(new RequestIdFeature(id));
        context.Response.Headers[headerName] = id;
        if (Activity.Current is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(SpanAttribute, id);
        }

        // Set inside this async method, the id flows into the rest of the pipeline and is gone for the caller once
        // the method returns: the runtime restores the caller's async-local values, so there is nothing to undo.
        RequestIdEnricher.Set(new LogEventProperty(LogProperty, new ScalarValue(id)));
        RequestIdForwarding.Set(headerName, id);
        await next(context);
    }

    /// <summary>True for 1 to 128 printable ASCII characters (no control characters, CR or LF).</summary>
    public static bool IsSane(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                return false;
            }
        }

        return value[0] != ' ' && value[^1] != ' ';
    }

    /// <summary>
    /// 32 lower-case hex characters, time-ordered (UUIDv7: 48-bit Unix milliseconds, version 7, variant 10, 74 random
    /// bits). The random bits come from <see cref="Random.Shared"/> rather than the operating system's secure source that
    /// <see cref="Guid.CreateVersion7()"/> asks with one system call per id: an id only has to be unique, not secret.
    /// </summary>
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)milliseconds;
            milliseconds >>= 8;
        }

        Random.Shared.NextBytes(bytes[6..]);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return Convert.ToHexStringLower(bytes);
    }
}
