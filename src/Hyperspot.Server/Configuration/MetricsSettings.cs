using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// The <c>metrics</c> section. A new instance holds the documented defaults. Metrics go to the backend of
/// <c>tracing.exporter</c> (same kind, endpoint, headers, timeout, compression; <c>/v1/metrics</c> over OTLP/HTTP)
/// with the resource of <c>tracing</c>.
/// </summary>
public sealed class MetricsSettings
{
    /// <summary>Off unless asked for, like tracing: nothing is measured or sent.</summary>
    public bool Enabled { get; init; }

    /// <summary>
    /// How often the measurements are sent. 60 s is the OpenTelemetry specification's default
    /// (<c>OTEL_METRIC_EXPORT_INTERVAL</c>): what the Collector, Uptrace and Prometheus-style backends expect, and one
    /// small request a minute however busy the server is.
    /// </summary>
    [ConfigurationKeyName("export_interval_ms")]
    [Range(100, 3_600_000)]
    public int ExportIntervalMs { get; init; } = 60_000;

    /// <summary>Histogram points recorded inside a sampled trace carry that trace's id and span id.</summary>
    public bool Exemplars { get; init; } = true;
}
