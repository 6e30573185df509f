using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Redaction;
using Hyperspot.Server.Telemetry;
using Hyperspot.Server.Telemetry.Diagnosis;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Hyperspot.Server.Metrics;

/// <summary>
/// Sets metrics up once, from <c>metrics</c> and <c>tracing.exporter</c>: a meter provider listening to the meters
/// the libraries define (ASP.NET Core hosting and Kestrel, <c>System.Net.Http</c>, the .NET runtime) and to the
/// modules' meters (<c>Hyperspot.Modules.*</c>), read every <c>export_interval_ms</c> off the request path and sent
/// over OTLP with the resource of the spans. No views: ASP.NET Core and HttpClient advise the semantic conventions'
/// second-based buckets for their duration histograms, and the SDK follows the advice.
/// </summary>
public static class MetricsRegistration
{
    public const string MetricsPath = "/v1/metrics";

    /// <summary>The meters of ASP.NET Core, Kestrel and HttpClient: the libraries that define them publish them.</summary>
    public static readonly IReadOnlyList<string> LibraryMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
    ];

    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    public static WebApplicationBuilder AddHyperspotMetrics(this WebApplicationBuilder builder, HyperspotSettings settings)
    {
        var metrics = settings.Metrics;
        if (!metrics.Enabled)
        {
            return builder;
        }

        var statistics = new MetricExportStatistics();
        builder.Services.AddSingleton(statistics);
        builder.Services.AddSingleton<IMetricsStatus>(statistics);
        _ = ExporterDiagnostics.Instance;
        builder.Services.AddOpenTelemetry().WithMetrics(meters => meters
            .SetResourceBuilder(TracingResource.Create(settings.Tracing))
            .AddMeter([.. LibraryMeters, ModuleActivitySource.Prefix + "*"])
            .AddRuntimeInstrumentation()
            .SetExemplarFilter(metrics.Exemplars ? ExemplarFilterType.TraceBased : ExemplarFilterType.AlwaysOff)
            .AddReader(services => CreateReader(services, settings, statistics)));
        builder.Services.AddHostedService<MetricsLifecycle>();
        return builder;
    }

    private static PeriodicExportingMetricReader CreateReader(IServiceProvider services, HyperspotSettings settings, MetricExportStatistics statistics)
    {
        var exporter = settings.Tracing.Exporter;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Hyperspot.Metrics.Export");
        var observer = new ExportObserver();
        var reporter = new MetricExportReporter(logger, exporter, statistics, observer, WarningInterval);
        var otlp = new OtlpMetricExporter(OtlpExporterFactory.CreateOptions(exporter, MetricsPath, observer));
        logger.LogInformation(
            "OpenTelemetry metrics initialized: exporter {ExporterKind} to {Endpoint} every {IntervalMs} ms, exemplars {Exemplars}",
            ConfigNames.NameOf(exporter.Kind),
            SecretRedactor.RedactUri(exporter.ExportUriFor(MetricsPath)),
            settings.Metrics.ExportIntervalMs,
            settings.Metrics.Exemplars ? "on" : "off");
        return new PeriodicExportingMetricReader(
            new CountingMetricExporter(otlp, statistics, reporter.OnExportResult),
            settings.Metrics.ExportIntervalMs,
            exporter.TimeoutMs);
    }
}
