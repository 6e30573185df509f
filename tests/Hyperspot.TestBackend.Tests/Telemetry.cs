using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Hyperspot.TestBackend.Tests;

/// <summary>
/// A tracer provider (and optionally a logger factory) exporting straight to a dashboard with the
/// OpenTelemetry SDK's OTLP exporter. Spans are exported synchronously when they end.
/// </summary>
internal sealed class Telemetry : IDisposable
{
    private readonly TracerProvider _tracerProvider;
    private readonly ILoggerFactory? _loggerFactory;

    private Telemetry(TracerProvider tracerProvider, ILoggerFactory? loggerFactory, ActivitySource source, string serviceName)
    {
        _tracerProvider = tracerProvider;
        _loggerFactory = loggerFactory;
        Source = source;
        ServiceName = serviceName;
    }

    public ActivitySource Source { get; }

    public string ServiceName { get; }

    public ILogger CreateLogger(string category) =>
        (_loggerFactory ?? throw new InvalidOperationException("Created without logs.")).CreateLogger(category);

    public static Telemetry Create(
        AspireDashboard dashboard,
        OtlpExportProtocol protocol,
        bool withApiKeyHeader = true,
        bool withLogs = false)
    {
        var serviceName = "svc-" + Guid.NewGuid().ToString("N")[..12];
        var source = new ActivitySource("Hyperspot.TestBackend.Tests." + serviceName, "1.2.3");

        void Configure(OtlpExporterOptions o)
        {
            o.Protocol = protocol;
            o.Endpoint = protocol == OtlpExportProtocol.Grpc ? dashboard.OtlpGrpcEndpoint : dashboard.OtlpHttpTracesEndpoint;
            o.Headers = withApiKeyHeader && dashboard.ApiKey is not null ? dashboard.OtlpHeaders : null;
            o.ExportProcessorType = ExportProcessorType.Simple;
            o.TimeoutMilliseconds = 5000;
        }

        var resource = ResourceBuilder.CreateEmpty()
            .AddService(serviceName, serviceVersion: "9.9.9", autoGenerateServiceInstanceId: false)
            .AddAttributes([new("deployment.environment.name", "test")]);

        var tracerProvider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(source.Name)
            .AddOtlpExporter(Configure)
            .Build();

        ILoggerFactory? loggerFactory = null;
        if (withLogs)
        {
            loggerFactory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(o =>
            {
                o.SetResourceBuilder(resource);
                o.AddOtlpExporter((exporter, processor) =>
                {
                    exporter.Protocol = protocol;
                    exporter.Endpoint = protocol == OtlpExportProtocol.Grpc ? dashboard.OtlpGrpcEndpoint : dashboard.OtlpHttpLogsEndpoint;
                    exporter.Headers = withApiKeyHeader && dashboard.ApiKey is not null ? dashboard.OtlpHeaders : null;
                    processor.ExportProcessorType = ExportProcessorType.Simple;
                });
            }));
        }

        return new Telemetry(tracerProvider, loggerFactory, source, serviceName);
    }

    public void Dispose()
    {
        _loggerFactory?.Dispose();
        _tracerProvider.Dispose();
        Source.Dispose();
    }
}
