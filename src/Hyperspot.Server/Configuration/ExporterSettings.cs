using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Hyperspot.Server.Redaction;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>OTLP over gRPC, or over HTTP with protobuf bodies.</summary>
[TypeConverter(typeof(ConfigNames))]
public enum ExporterKind
{
    OtlpGrpc,
    OtlpHttp,
}

/// <summary>Whether export requests are compressed.</summary>
[TypeConverter(typeof(ConfigNames))]
public enum ExportCompression
{
    None,
    Gzip,
}

/// <summary>The <c>tracing.exporter</c> section: where and how spans are sent.</summary>
public sealed class ExporterSettings : IValidatableObject
{
    public const string TracesPath = "/v1/traces";

    public ExporterKind Kind { get; init; } = ExporterKind.OtlpGrpc;

    /// <summary>The collector's URL; unless configured, the local OTLP port of <see cref="Kind"/> (4317 for gRPC, 4318 for HTTP).</summary>
    [HttpUrl]
    public string Endpoint
    {
        get => field ?? (Kind == ExporterKind.OtlpHttp ? "http://127.0.0.1:4318" : "http://127.0.0.1:4317");
        init;
    }

    [ConfigurationKeyName("timeout_ms")]
    [Range(1, 600_000)]
    public int TimeoutMs { get; init; } = 5000;

    /// <summary>Sent with every export; names lower-cased.</summary>
    public IReadOnlyDictionary<string, string> Headers
    {
        get;
        init => field = value.Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), h.Value)).DistinctBy(h => h.Key).ToDictionary();
    } = new Dictionary<string, string>();

    public ExportCompression Compression { get; init; } = ExportCompression.None;

    /// <summary>The endpoint the exporter is given: for OTLP/HTTP a bare base URL gets <c>/v1/traces</c>.</summary>
    public Uri ExportUri => ExportUriFor(TracesPath);

    /// <summary>The endpoint for another signal (<c>/v1/logs</c>) that shares these exporter settings.</summary>
    public Uri ExportUriFor(string signalPath)
    {
        var uri = new Uri(Endpoint);
        if (Kind == ExporterKind.OtlpGrpc)
        {
            return uri;
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.Length == 0)
        {
            return new UriBuilder(uri) { Path = signalPath }.Uri;
        }

        if (signalPath != TracesPath && path.EndsWith(TracesPath, StringComparison.Ordinal))
        {
            return new UriBuilder(uri) { Path = path[..^TracesPath.Length] + signalPath }.Uri;
        }

        return uri;
    }

    /// <summary>The endpoint as it may be shown in logs: without credentials.</summary>
    public string DisplayEndpoint => SecretRedactor.RedactUrlCredentials(ExportUri.ToString());

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var shown = SecretRedactor.RedactUrlCredentials(Endpoint);
        var port = new Uri(Endpoint).Port;
        if (Kind == ExporterKind.OtlpGrpc && port == 4318)
        {
            yield return new ValidationResult($"port 4318 is the OTLP/HTTP port but kind is otlp_grpc (got '{shown}'); use port 4317 or kind otlp_http", [nameof(Endpoint)]);
        }
        else if (Kind == ExporterKind.OtlpHttp && port == 4317)
        {
            yield return new ValidationResult($"port 4317 is the OTLP/gRPC port but kind is otlp_http (got '{shown}'); use port 4318 or kind otlp_grpc", [nameof(Endpoint)]);
        }

        foreach (var (name, value) in Headers)
        {
            if (name.Any(c => c <= ' ' || c >= 127 || c == ':') || value.Any(char.IsControl))
            {
                yield return new ValidationResult("header names must be printable without spaces or ':', and values must not contain control characters", ["headers." + name]);
            }
        }
    }
}
