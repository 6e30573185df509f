using System.Globalization;

namespace Hyperspot.TestBackend;

/// <summary>
/// A span as stored by the dashboard and returned by its query API.
/// </summary>
/// <remarks>
/// Attribute values: the dashboard keeps every attribute as text, so numbers and booleans come back
/// as their invariant text ("42", "1.5", "true"). Arrays come back as JSON text and are turned back
/// into <c>string[]</c> (all elements strings) or <c>object?[]</c> (long/double/bool/string/null
/// elements). Attributes without a value are left out.
/// </remarks>
/// <param name="TraceId">32 lower-case hex digits.</param>
/// <param name="SpanId">16 lower-case hex digits.</param>
/// <param name="ParentSpanId">16 lower-case hex digits, or <c>null</c> for a root span.</param>
/// <param name="Name">Span name.</param>
/// <param name="Kind">One of <see cref="SpanKinds"/>: "Unspecified", "Internal", "Server", "Client", "Producer", "Consumer".</param>
/// <param name="StartTime">Start time (100 ns precision).</param>
/// <param name="EndTime">End time (100 ns precision).</param>
/// <param name="StatusCode">One of <see cref="SpanStatusCodes"/>: "Unset", "Ok", "Error".</param>
/// <param name="StatusMessage">Status description, or <c>null</c>.</param>
/// <param name="Attributes">Span attributes.</param>
/// <param name="ResourceAttributes">Attributes of the resource (service) that sent the span.</param>
/// <param name="Events">Span events, in the order returned.</param>
/// <param name="Links">Span links.</param>
/// <param name="ScopeName">Instrumentation scope, i.e. the ActivitySource name.</param>
/// <param name="ScopeVersion">Instrumentation scope version, or <c>null</c>.</param>
public sealed record ReceivedSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime,
    string StatusCode,
    string? StatusMessage,
    IReadOnlyDictionary<string, object?> Attributes,
    IReadOnlyDictionary<string, object?> ResourceAttributes,
    IReadOnlyList<ReceivedSpanEvent> Events,
    IReadOnlyList<ReceivedSpanLink> Links,
    string ScopeName,
    string? ScopeVersion)
{
    /// <summary>True when the span has no parent.</summary>
    public bool IsRoot => string.IsNullOrEmpty(ParentSpanId);

    /// <summary><see cref="EndTime"/> minus <see cref="StartTime"/>.</summary>
    public TimeSpan Duration => EndTime - StartTime;

    /// <summary>The resource's <c>service.name</c>, or <c>null</c>.</summary>
    public string? ServiceName => ResourceAttributes.TryGetValue("service.name", out var value) ? value as string : null;

    /// <summary>An attribute's value as text (arrays as comma-separated text), or <c>null</c> when absent.</summary>
    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? AttributeText.Format(value) : null;

    /// <summary>A short description for assertion messages.</summary>
    public override string ToString() =>
        $"{Name} [{Kind}{(StatusCode == SpanStatusCodes.Unset ? "" : ", " + StatusCode)}] trace={TraceId} span={SpanId} " +
        $"parent={ParentSpanId ?? "-"} service={ServiceName ?? "-"} scope={ScopeName}";
}

/// <summary>An event recorded on a span.</summary>
/// <param name="Name">Event name.</param>
/// <param name="Time">Event time.</param>
/// <param name="Attributes">Event attributes (same encoding as span attributes).</param>
public sealed record ReceivedSpanEvent(string Name, DateTimeOffset Time, IReadOnlyDictionary<string, object?> Attributes)
{
    /// <summary>An attribute's value as text, or <c>null</c> when absent.</summary>
    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? AttributeText.Format(value) : null;
}

/// <summary>A link from a span to another span.</summary>
/// <param name="TraceId">Linked trace id (lower-case hex).</param>
/// <param name="SpanId">Linked span id (lower-case hex).</param>
/// <param name="Attributes">Link attributes.</param>
public sealed record ReceivedSpanLink(string TraceId, string SpanId, IReadOnlyDictionary<string, object?> Attributes);

/// <summary>
/// A log record as stored by the dashboard. Attribute encoding as for <see cref="ReceivedSpan"/>.
/// The dashboard drops the <c>{OriginalFormat}</c> attribute; this type also drops its internal
/// <c>aspire.log_id</c> attribute.
/// </summary>
/// <param name="TraceId">Trace id (lower-case hex), or <c>null</c> when the record is not correlated.</param>
/// <param name="SpanId">Span id (lower-case hex), or <c>null</c>.</param>
/// <param name="Body">The message text, or <c>null</c>.</param>
/// <param name="SeverityText">"Trace", "Debug", "Information", "Warning", "Error" or "Critical" (the dashboard derives it from the severity number).</param>
/// <param name="SeverityNumber">OTLP severity number (1-24).</param>
/// <param name="Timestamp">Time of the record.</param>
/// <param name="Attributes">Log attributes (structured logging state).</param>
/// <param name="ResourceAttributes">Attributes of the resource (service) that sent the record.</param>
/// <param name="CategoryName">The instrumentation scope, which is the logger category for .NET loggers.</param>
public sealed record ReceivedLogRecord(
    string? TraceId,
    string? SpanId,
    string? Body,
    string SeverityText,
    int SeverityNumber,
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<string, object?> Attributes,
    IReadOnlyDictionary<string, object?> ResourceAttributes,
    string? CategoryName)
{
    /// <summary>The resource's <c>service.name</c>, or <c>null</c>.</summary>
    public string? ServiceName => ResourceAttributes.TryGetValue("service.name", out var value) ? value as string : null;

    /// <summary>An attribute's value as text, or <c>null</c> when absent.</summary>
    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? AttributeText.Format(value) : null;

    /// <summary>A short description for assertion messages.</summary>
    public override string ToString() =>
        $"[{SeverityText}] {CategoryName}: {Body} trace={TraceId ?? "-"} span={SpanId ?? "-"} service={ServiceName ?? "-"}";
}

/// <summary>A resource (service instance) the dashboard has received telemetry from.</summary>
/// <param name="Name">The <c>service.name</c>.</param>
/// <param name="InstanceId">The <c>service.instance.id</c>, or <c>null</c>.</param>
/// <param name="DisplayName">Name shown in the UI ("name" or "name-instanceId").</param>
/// <param name="HasLogs">Whether logs were received.</param>
/// <param name="HasTraces">Whether spans were received.</param>
/// <param name="HasMetrics">Whether metrics were received.</param>
public sealed record ReceivedResource(string Name, string? InstanceId, string DisplayName, bool HasLogs, bool HasTraces, bool HasMetrics);

/// <summary>Values of <see cref="ReceivedSpan.Kind"/>.</summary>
public static class SpanKinds
{
    /// <summary>SPAN_KIND_UNSPECIFIED (0).</summary>
    public const string Unspecified = "Unspecified";
    /// <summary>SPAN_KIND_INTERNAL (1).</summary>
    public const string Internal = "Internal";
    /// <summary>SPAN_KIND_SERVER (2).</summary>
    public const string Server = "Server";
    /// <summary>SPAN_KIND_CLIENT (3).</summary>
    public const string Client = "Client";
    /// <summary>SPAN_KIND_PRODUCER (4).</summary>
    public const string Producer = "Producer";
    /// <summary>SPAN_KIND_CONSUMER (5).</summary>
    public const string Consumer = "Consumer";
}

/// <summary>Values of <see cref="ReceivedSpan.StatusCode"/>.</summary>
public static class SpanStatusCodes
{
    /// <summary>STATUS_CODE_UNSET (0).</summary>
    public const string Unset = "Unset";
    /// <summary>STATUS_CODE_OK (1).</summary>
    public const string Ok = "Ok";
    /// <summary>STATUS_CODE_ERROR (2).</summary>
    public const string Error = "Error";
}

internal static class AttributeText
{
    public static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        System.Collections.IEnumerable items => string.Join(",", items.Cast<object?>().Select(Format)),
        _ => value.ToString(),
    };
}
