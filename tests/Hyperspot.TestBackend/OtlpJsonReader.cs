using System.Globalization;
using System.Text.Json;

namespace Hyperspot.TestBackend;

/// <summary>
/// Turns the dashboard's OTLP JSON responses (<c>{"data": {"resourceSpans"|"resourceLogs": [...]}, "totalCount", "returnedCount"}</c>)
/// into <see cref="ReceivedSpan"/> and <see cref="ReceivedLogRecord"/> values.
/// </summary>
internal static class OtlpJsonReader
{
    private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();
    private const string DashboardLogIdAttribute = "aspire.log_id";

    public static (IReadOnlyList<ReceivedSpan> Spans, int TotalCount) ReadSpans(JsonElement root)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var resourceSpans in Array(Data(root), "resourceSpans"))
        {
            var resource = ReadAttributes(Object(resourceSpans, "resource"));
            foreach (var scopeSpans in Array(resourceSpans, "scopeSpans"))
            {
                var scope = Object(scopeSpans, "scope");
                var scopeName = String(scope, "name") ?? "";
                var scopeVersion = NullIfEmpty(String(scope, "version"));
                foreach (var span in Array(scopeSpans, "spans"))
                {
                    var status = Object(span, "status");
                    spans.Add(new ReceivedSpan(
                        TraceId: Id(span, "traceId") ?? "",
                        SpanId: Id(span, "spanId") ?? "",
                        ParentSpanId: Id(span, "parentSpanId"),
                        Name: String(span, "name") ?? "",
                        Kind: SpanKind(span),
                        StartTime: Time(span, "startTimeUnixNano"),
                        EndTime: Time(span, "endTimeUnixNano"),
                        StatusCode: StatusCode(status),
                        StatusMessage: NullIfEmpty(String(status, "message")),
                        Attributes: ReadAttributes(span),
                        ResourceAttributes: resource,
                        Events: Array(span, "events")
                            .Select(e => new ReceivedSpanEvent(String(e, "name") ?? "", Time(e, "timeUnixNano"), ReadAttributes(e)))
                            .ToList(),
                        Links: Array(span, "links")
                            .Select(l => new ReceivedSpanLink(Id(l, "traceId") ?? "", Id(l, "spanId") ?? "", ReadAttributes(l)))
                            .ToList(),
                        ScopeName: scopeName,
                        ScopeVersion: scopeVersion));
                }
            }
        }

        // The API returns spans grouped by resource and scope in no useful order.
        return (spans.OrderBy(s => s.StartTime).ToList(), TotalCount(root, spans.Count));
    }

    public static (IReadOnlyList<ReceivedLogRecord> Logs, int TotalCount) ReadLogs(JsonElement root)
    {
        var logs = new List<ReceivedLogRecord>();
        foreach (var resourceLogs in Array(Data(root), "resourceLogs"))
        {
            var resource = ReadAttributes(Object(resourceLogs, "resource"));
            foreach (var scopeLogs in Array(resourceLogs, "scopeLogs"))
            {
                var category = NullIfEmpty(String(Object(scopeLogs, "scope"), "name"));
                foreach (var record in Array(scopeLogs, "logRecords"))
                {
                    var attributes = ReadAttributes(record);
                    if (attributes.ContainsKey(DashboardLogIdAttribute))
                    {
                        var copy = new Dictionary<string, object?>(attributes, StringComparer.Ordinal);
                        copy.Remove(DashboardLogIdAttribute);
                        attributes = copy;
                    }

                    var body = record.TryGetProperty("body", out var bodyValue) ? DecodeAnyValue(bodyValue, parseJsonArrays: false) : null;
                    var timestamp = Time(record, "timeUnixNano");
                    if (timestamp == DateTimeOffset.UnixEpoch)
                    {
                        timestamp = Time(record, "observedTimeUnixNano");
                    }

                    var severityNumber = record.TryGetProperty("severityNumber", out var sn) && sn.ValueKind == JsonValueKind.Number ? sn.GetInt32() : 0;
                    logs.Add(new ReceivedLogRecord(
                        TraceId: Id(record, "traceId"),
                        SpanId: Id(record, "spanId"),
                        Body: AttributeText.Format(body),
                        SeverityText: NullIfEmpty(String(record, "severityText")) ?? SeverityTextFromNumber(severityNumber),
                        SeverityNumber: severityNumber,
                        Timestamp: timestamp,
                        Attributes: attributes,
                        ResourceAttributes: resource,
                        CategoryName: category));
                }
            }
        }

        return (logs.OrderBy(l => l.Timestamp).ToList(), TotalCount(root, logs.Count));
    }

    public static IReadOnlyList<ReceivedResource> ReadResources(JsonElement root)
    {
        var resources = new List<ReceivedResource>();
        if (root.ValueKind != JsonValueKind.Array)
        {
            return resources;
        }

        foreach (var r in root.EnumerateArray())
        {
            var name = String(r, "name") ?? "";
            resources.Add(new ReceivedResource(
                name,
                NullIfEmpty(String(r, "instanceId")),
                String(r, "displayName") ?? name,
                Bool(r, "hasLogs"),
                Bool(r, "hasTraces"),
                Bool(r, "hasMetrics")));
        }

        return resources;
    }

    private static JsonElement Data(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) ? data : root;

    private static int TotalCount(JsonElement root, int fallback) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("totalCount", out var t) && t.ValueKind == JsonValueKind.Number
            ? t.GetInt32()
            : fallback;

    private static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray()
            : [];

    private static JsonElement Object(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var o) ? o : default;

    private static string? String(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var s) && s.ValueKind == JsonValueKind.String
            ? s.GetString()
            : null;

    private static bool Bool(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var b) && b.ValueKind == JsonValueKind.True;

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    // OTLP JSON encodes ids as hex; the dashboard already lower-cases them. An all-zero id means "none".
    private static string? Id(JsonElement parent, string name)
    {
        var id = String(parent, name);
        if (string.IsNullOrEmpty(id) || id.All(c => c == '0'))
        {
            return null;
        }

        return id.ToLowerInvariant();
    }

    private static DateTimeOffset Time(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var t))
        {
            return DateTimeOffset.UnixEpoch;
        }

        ulong nanos = t.ValueKind switch
        {
            JsonValueKind.String when ulong.TryParse(t.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            JsonValueKind.Number when t.TryGetUInt64(out var n) => n,
            _ => 0,
        };
        return DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));
    }

    private static string SpanKind(JsonElement span)
    {
        if (span.ValueKind != JsonValueKind.Object || !span.TryGetProperty("kind", out var kind))
        {
            return SpanKinds.Unspecified;
        }

        if (kind.ValueKind == JsonValueKind.Number)
        {
            return kind.GetInt32() switch
            {
                1 => SpanKinds.Internal,
                2 => SpanKinds.Server,
                3 => SpanKinds.Client,
                4 => SpanKinds.Producer,
                5 => SpanKinds.Consumer,
                _ => SpanKinds.Unspecified,
            };
        }

        return (kind.GetString() ?? "").ToUpperInvariant() switch
        {
            "SPAN_KIND_INTERNAL" or "INTERNAL" => SpanKinds.Internal,
            "SPAN_KIND_SERVER" or "SERVER" => SpanKinds.Server,
            "SPAN_KIND_CLIENT" or "CLIENT" => SpanKinds.Client,
            "SPAN_KIND_PRODUCER" or "PRODUCER" => SpanKinds.Producer,
            "SPAN_KIND_CONSUMER" or "CONSUMER" => SpanKinds.Consumer,
            _ => SpanKinds.Unspecified,
        };
    }

    private static string StatusCode(JsonElement status)
    {
        if (status.ValueKind != JsonValueKind.Object || !status.TryGetProperty("code", out var code))
        {
            return SpanStatusCodes.Unset;
        }

        if (code.ValueKind == JsonValueKind.Number)
        {
            return code.GetInt32() switch
            {
                1 => SpanStatusCodes.Ok,
                2 => SpanStatusCodes.Error,
                _ => SpanStatusCodes.Unset,
            };
        }

        return (code.GetString() ?? "").ToUpperInvariant() switch
        {
            "STATUS_CODE_OK" or "OK" => SpanStatusCodes.Ok,
            "STATUS_CODE_ERROR" or "ERROR" => SpanStatusCodes.Error,
            _ => SpanStatusCodes.Unset,
        };
    }

    private static string SeverityTextFromNumber(int number) => number switch
    {
        >= 1 and <= 4 => "Trace",
        >= 5 and <= 8 => "Debug",
        >= 9 and <= 12 => "Information",
        >= 13 and <= 16 => "Warning",
        >= 17 and <= 20 => "Error",
        >= 21 and <= 24 => "Critical",
        _ => "",
    };

    private static IReadOnlyDictionary<string, object?> ReadAttributes(JsonElement parent)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var kv in Array(parent, "attributes"))
        {
            var key = String(kv, "key");
            if (key is null || !kv.TryGetProperty("value", out var value))
            {
                continue;
            }

            var decoded = DecodeAnyValue(value, parseJsonArrays: true);
            if (decoded is not null)
            {
                result[key] = decoded;
            }
        }

        return result.Count == 0 ? Empty : result;
    }

    private static object? DecodeAnyValue(JsonElement value, bool parseJsonArrays)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in value.EnumerateObject())
        {
            var v = property.Value;
            switch (property.Name)
            {
                case "stringValue":
                    var s = v.GetString();
                    return parseJsonArrays && s is not null ? TryParseJsonArray(s) ?? s : s;
                case "intValue":
                    return v.ValueKind == JsonValueKind.String
                        ? long.Parse(v.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
                        : v.GetInt64();
                case "doubleValue":
                    return v.ValueKind == JsonValueKind.String
                        ? double.Parse(v.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                        : v.GetDouble();
                case "boolValue":
                    return v.ValueKind == JsonValueKind.True;
                case "bytesValue":
                    return Convert.FromBase64String(v.GetString() ?? "");
                case "arrayValue":
                    return Normalise(Array(v, "values").Select(e => DecodeAnyValue(e, parseJsonArrays: false)).ToArray());
                case "kvlistValue":
                    var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var kv in Array(v, "values"))
                    {
                        if (String(kv, "key") is { } k && kv.TryGetProperty("value", out var kvValue))
                        {
                            dict[k] = DecodeAnyValue(kvValue, parseJsonArrays: false);
                        }
                    }

                    return dict;
            }
        }

        return null;
    }

    // The dashboard flattens array attributes to JSON text (["a","b"] or [1,2]); undo that.
    private static object? TryParseJsonArray(string text)
    {
        if (text.Length < 2 || text[0] != '[' || text[^1] != ']')
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            var items = new List<object?>();
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                switch (e.ValueKind)
                {
                    case JsonValueKind.String: items.Add(e.GetString()); break;
                    case JsonValueKind.True: items.Add(true); break;
                    case JsonValueKind.False: items.Add(false); break;
                    case JsonValueKind.Null: items.Add(null); break;
                    case JsonValueKind.Number: items.Add(e.TryGetInt64(out var l) ? l : e.GetDouble()); break;
                    default: return null;
                }
            }

            return Normalise(items.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static object Normalise(object?[] items) =>
        items.All(i => i is string) ? items.Cast<string>().ToArray() : items;
}
