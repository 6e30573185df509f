using System.Diagnostics;
using Hyperspot.Server.Configuration;
using OpenTelemetry;
using OpenTelemetry.Exporter;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// Builds the SDK's OTLP exporters from <c>tracing.exporter</c>. Headers go on the exporter's own HttpClient
/// rather than through the SDK's comma-separated header string, so values with commas or '%' stay intact.
/// </summary>
public static class OtlpExporterFactory
{
    private const int MaxResponseBytes = 4 * 1024 * 1024;

    public static BaseExporter<Activity> CreateTraceExporter(ExporterSettings settings) =>
        new OtlpTraceExporter(CreateOptions(settings, ExporterSettings.TracesPath));

    /// <summary>Options for any signal (<c>/v1/traces</c>, <c>/v1/logs</c>) sharing the same exporter settings.</summary>
    public static OtlpExporterOptions CreateOptions(ExporterSettings settings, string signalPath)
    {
        var timeout = TimeSpan.FromMilliseconds(settings.TimeoutMs);
        return new OtlpExporterOptions
        {
            Endpoint = settings.ExportUriFor(signalPath),
            Protocol = settings.Kind == ExporterKind.OtlpHttp ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc,
            TimeoutMilliseconds = settings.TimeoutMs,
            Compression = settings.Compression == ExportCompression.Gzip ? OtlpExportCompression.GZip : OtlpExportCompression.None,
            Headers = null,
            HttpClientFactory = () => CreateHttpClient(settings.Headers, timeout),
        };
    }

    private static HttpClient CreateHttpClient(IReadOnlyDictionary<string, string> headers, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var client = new HttpClient(handler)
        {
            Timeout = timeout,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
        foreach (var (name, value) in headers)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }

        return client;
    }
}
