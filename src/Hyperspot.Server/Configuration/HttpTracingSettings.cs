using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>The <c>tracing.http</c> section: request ids and header recording on server spans.</summary>
public sealed class HttpTracingSettings : IValidatableObject
{
    /// <summary>The request id header; empty turns request ids off.</summary>
    [ConfigurationKeyName("inject_request_id_header")]
    public string InjectRequestIdHeader { get; init => field = value.Trim(); } = "x-request-id";

    /// <summary>Header names, lower-cased, without blanks or repeats.</summary>
    [ConfigurationKeyName("record_headers")]
    public IReadOnlyList<string> RecordHeaders { get; init => field = Normalize(value); } = [];

    [ConfigurationKeyName("redact_headers")]
    public IReadOnlyList<string> RedactHeaders { get; init => field = Normalize(value); } =
        ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsHeaderName(InjectRequestIdHeader))
        {
            yield return NotAHeaderName("tracing.http.inject_request_id_header", InjectRequestIdHeader, nameof(InjectRequestIdHeader));
        }

        foreach (var (key, list, member) in new[]
        {
            ("tracing.http.record_headers", RecordHeaders, nameof(RecordHeaders)),
            ("tracing.http.redact_headers", RedactHeaders, nameof(RedactHeaders)),
        })
        {
            foreach (var name in list.Where(name => !IsHeaderName(name)))
            {
                yield return NotAHeaderName(key, name, member);
            }
        }
    }

    private static bool IsHeaderName(string name) => !name.Any(c => c <= ' ' || c >= 127 || c == ':');

    private static ValidationResult NotAHeaderName(string path, string value, string member) =>
        new($"must be a header name: printable, without spaces or ':' (got '{ShownValue.Of(path, value)}')", [member]);

    private static List<string> Normalize(IEnumerable<string> headers) =>
        headers.Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).Distinct().ToList();
}
