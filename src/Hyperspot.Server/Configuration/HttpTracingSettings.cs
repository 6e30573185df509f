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
        if (InjectRequestIdHeader.Any(c => c <= ' ' || c >= 127 || c == ':'))
        {
            yield return new ValidationResult(
                $"must be a header name: printable, without spaces or ':' (got '{ShownValue.Of("tracing.http.inject_request_id_header", InjectRequestIdHeader)}')",
                [nameof(InjectRequestIdHeader)]);
        }
    }

    private static List<string> Normalize(IEnumerable<string> headers) =>
        headers.Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).Distinct().ToList();
}
