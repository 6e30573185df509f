using System.Diagnostics;
using Hyperspot.Server.Configuration;
using Microsoft.AspNetCore.Http;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// Records the request headers listed in <c>tracing.http.record_headers</c> on the server span as
/// <c>http.request.header.&lt;name&gt;</c> (string arrays, per the OpenTelemetry HTTP conventions). Headers in
/// <c>redact_headers</c> are recorded as <c>[REDACTED]</c>; values longer than 1024 characters are truncated.
/// </summary>
public sealed class HeaderRecorder
{
    public const string Redacted = "[REDACTED]";
    public const int MaxValueLength = 1024;

    private static readonly string[] RedactedValue = [Redacted];

    private readonly (string Header, string Attribute, bool Redact)[] _headers;

    public HeaderRecorder(HttpTracingSettings settings)
    {
        var redact = new HashSet<string>(settings.RedactHeaders, StringComparer.OrdinalIgnoreCase);
        _headers = settings.RecordHeaders
            .Select(h => (h, "http.request.header." + h, redact.Contains(h)))
            .ToArray();
    }

    public bool IsEmpty => _headers.Length == 0;

    public void Record(Activity activity, HttpRequest request)
    {
        var headers = request.Headers;
        foreach (var (header, attribute, redact) in _headers)
        {
            var values = headers[header];
            if (values.Count == 0)
            {
                continue;
            }

            activity.SetTag(attribute, redact ? RedactedValue : Truncate(values));
        }
    }

    private static string[] Truncate(Microsoft.Extensions.Primitives.StringValues values)
    {
        var result = new string[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var value = values[i] ?? "";
            result[i] = value.Length > MaxValueLength ? value[..MaxValueLength] : value;
        }

        return result;
    }
}
