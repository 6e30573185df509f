using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Configuration;

public enum ExporterKind
{
    OtlpGrpc,
    OtlpHttp,
}

public enum ExportCompression
{
    None,
    Gzip,
}

/// <summary>The <c>tracing.exporter</c> section: where and how spans are sent.</summary>
public sealed class ExporterSettings
{
    public const string TracesPath = "/v1/traces";

    public ExporterKind Kind { get; init; } = ExporterKind.OtlpGrpc;

    public string Endpoint { get; init; } = "http://127.0.0.1:4317";

    public int TimeoutMs { get; init; } = 5000;

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

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

    public static ExporterSettings Read(SectionReader section)
    {
        var defaults = new ExporterSettings();
        var kind = section.Choice("kind", defaults.Kind, [("otlp_grpc", ExporterKind.OtlpGrpc), ("otlp_http", ExporterKind.OtlpHttp)]);
        var settings = new ExporterSettings
        {
            Kind = kind,
            Endpoint = section.String("endpoint", kind == ExporterKind.OtlpHttp ? "http://127.0.0.1:4318" : defaults.Endpoint),
            TimeoutMs = section.Int("timeout_ms", defaults.TimeoutMs, 1, 600_000),
            Headers = section.Map("headers").ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value),
            Compression = section.Choice("compression", defaults.Compression, [("none", ExportCompression.None), ("gzip", ExportCompression.Gzip)]),
        };
        ValidateEndpoint(section, settings);
        foreach (var (name, value) in settings.Headers)
        {
            if (name.Any(c => c <= ' ' || c >= 127 || c == ':') || value.Any(char.IsControl))
            {
                section.Errors.Add($"{section.PathOf("headers")}.{name}", "header names must be printable without spaces or ':', and values must not contain control characters");
            }
        }

        section.RejectUnknownKeys();
        return settings;
    }

    private static void ValidateEndpoint(SectionReader section, ExporterSettings settings)
    {
        var path = section.PathOf("endpoint");
        var shown = SecretRedactor.RedactUrlCredentials(settings.Endpoint);
        if (!Uri.TryCreate(settings.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            section.Errors.Add(path, $"must be an absolute http:// or https:// URL (got '{shown}')");
            return;
        }

        if (settings.Kind == ExporterKind.OtlpGrpc && uri.Port == 4318)
        {
            section.Errors.Add(path, $"port 4318 is the OTLP/HTTP port but kind is otlp_grpc (got '{shown}'); use port 4317 or kind otlp_http");
        }
        else if (settings.Kind == ExporterKind.OtlpHttp && uri.Port == 4317)
        {
            section.Errors.Add(path, $"port 4317 is the OTLP/gRPC port but kind is otlp_http (got '{shown}'); use port 4318 or kind otlp_grpc");
        }
    }
}
