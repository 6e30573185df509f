using System.Diagnostics;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry.Diagnosis;
using OpenTelemetry;
using OpenTelemetry.Exporter;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// Builds the SDK's OTLP exporters from <c>tracing.exporter</c>. Headers go on the exporter's own HttpClient
/// rather than through the SDK's comma-separated header string, so values with commas or '%' stay intact. The
/// client follows no redirect (the configured endpoint is the only host spans go to), and an
/// <see cref="ExportObserver"/> given to it sees what the backend answers.
/// </summary>
public static class OtlpExporterFactory
{
    private const int MaxResponseBytes = ExchangeRecorder.MaxAnswerBytes;

    public static BaseExporter<Activity> CreateTraceExporter(ExporterSettings settings, ExportObserver? observer = null) =>
        new OtlpTraceExporter(CreateOptions(settings, ExporterSettings.TracesPath, observer));

    /// <summary>Options for any signal (<c>/v1/traces</c>, <c>/v1/logs</c>) sharing the same exporter settings.</summary>
    /// <param name="observer">Where the exporter's HttpClient records each exchange with the backend; null for none.</param>
    public static OtlpExporterOptions CreateOptions(ExporterSettings settings, string signalPath, ExportObserver? observer = null)
    {
        var timeout = TimeSpan.FromMilliseconds(settings.TimeoutMs);
        return new OtlpExporterOptions
        {
            Endpoint = settings.ExportUriFor(signalPath),
            Protocol = settings.Kind == ExporterKind.OtlpHttp ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc,
            TimeoutMilliseconds = settings.TimeoutMs,
            Compression = settings.Compression == ExportCompression.Gzip ? OtlpExportCompression.GZip : OtlpExportCompression.None,
            Headers = null,
            HttpClientFactory = () => CreateHttpClient(settings.Headers, timeout, observer),
        };
    }

    private static HttpClient CreateHttpClient(IReadOnlyDictionary<string, string> headers, TimeSpan timeout, ExportObserver? observer)
    {
        var sockets = new SocketsHttpHandler
        {
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
        };
        HttpMessageHandler handler = observer is null ? sockets : new ExchangeRecorder(sockets, observer);
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
