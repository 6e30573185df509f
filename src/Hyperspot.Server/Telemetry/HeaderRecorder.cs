using System.Diagnostics;
using Hyperspot.Server.Configuration;
using Microsoft.AspNetCore.Http;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// Records the request headers listed in <c>tracing.http.record_headers</c> on the server span as
/// <c>http.request.header.&lt;name&gt;</c> (string arrays, per the OpenTelemetry HTTP conventions). Headers in
/// <c>redact_headers</c>, and headers whose name names a secret or a cookie (<see cref="SecretRedactor.IsSecretHeader"/>),
/// are recorded as <c>[REDACTED]</c>. Other values have the secrets of URLs in them masked (a <c>referer</c>'s
/// <c>user:password@</c> and query values) and are truncated to 1024 characters. A configuration reload replaces both
/// lists (<see cref="Update"/>); a request reads them once.
/// </summary>
public sealed class HeaderRecorder
{
    /// <summary>The recorded value of a header that must not be shown.</summary>
    public const string Redacted = SecretRedactor.HeaderMask;

    public const int MaxValueLength = 1024;

    private static readonly string[] RedactedValue = [Redacted];

    private volatile (string Header, string Attribute, bool Redact)[] _headers;

    public HeaderRecorder(HttpTracingSettings settings)
    {
        _headers = Plan(settings);
    }

    public bool IsEmpty => _headers.Length == 0;

    /// <summary>Requests from now on record <c>record_headers</c> of <paramref name="settings"/>, redacting its <c>redact_headers</c>.</summary>
    public void Update(HttpTracingSettings settings) => _headers = Plan(settings);

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

            activity.SetTag(attribute, redact ? RedactedValue : Clean(values));
        }
    }

    private static (string Header, string Attribute, bool Redact)[] Plan(HttpTracingSettings settings)
    {
        var redact = new HashSet<string>(settings.RedactHeaders, StringComparer.OrdinalIgnoreCase);
        return settings.RecordHeaders
            .Select(h => (h, "http.request.header." + h, redact.Contains(h) || SecretRedactor.IsSecretHeader(h)))
            .ToArray();
    }

    private static string[] Clean(Microsoft.Extensions.Primitives.StringValues values)
    {
        var result = new string[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var value = SecretRedactor.RedactText(values[i] ?? "");
            result[i] = value.Length > MaxValueLength ? value[..MaxValueLength] : value;
        }

        return result;
    }
}
