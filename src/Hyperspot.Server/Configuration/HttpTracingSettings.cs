namespace Hyperspot.Server.Configuration;

/// <summary>The <c>tracing.http</c> section: request ids and header recording on server spans.</summary>
public sealed class HttpTracingSettings
{
    public static readonly IReadOnlyList<string> DefaultRedactHeaders =
        ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"];

    /// <summary>The request id header; empty turns request ids off.</summary>
    public string InjectRequestIdHeader { get; init; } = "x-request-id";

    public IReadOnlyList<string> RecordHeaders { get; init; } = [];

    public IReadOnlyList<string> RedactHeaders { get; init; } = DefaultRedactHeaders;

    public static HttpTracingSettings Read(SectionReader section)
    {
        var defaults = new HttpTracingSettings();
        var settings = new HttpTracingSettings
        {
            InjectRequestIdHeader = section.String("inject_request_id_header", defaults.InjectRequestIdHeader).Trim(),
            RecordHeaders = Normalize(section.List("record_headers", defaults.RecordHeaders)),
            RedactHeaders = Normalize(section.List("redact_headers", defaults.RedactHeaders)),
        };
        if (settings.InjectRequestIdHeader.Any(c => c <= ' ' || c >= 127 || c == ':'))
        {
            section.Errors.Add(section.PathOf("inject_request_id_header"), $"must be a header name: printable, without spaces or ':' (got '{settings.InjectRequestIdHeader}')");
        }

        section.RejectUnknownKeys();
        return settings;
    }

    private static List<string> Normalize(IEnumerable<string> headers) =>
        headers.Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).Distinct().ToList();
}
