using System.Reflection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Hyperspot.Server.Metrics;

/// <summary>
/// The OTLP metric exporter, with every export's outcome counted (<see cref="MetricExportStatistics"/>) and handed to
/// <see cref="MetricExportReporter"/>. The SDK sets the reader's exporter's parent provider (where the OTLP exporter
/// reads the resource from) only on the exporter it was given, this one: it is passed on to the wrapped exporter
/// before its first export, so the points carry the configured resource.
/// </summary>
internal sealed class CountingMetricExporter(BaseExporter<Metric> inner, MetricExportStatistics statistics, Action<bool, int> onResult) : BaseExporter<Metric>
{
    private static readonly PropertyInfo ParentProviderProperty =
        typeof(BaseExporter<Metric>).GetProperty(nameof(ParentProvider))
        ?? throw new InvalidOperationException("BaseExporter<Metric>.ParentProvider not found");

    public override ExportResult Export(in Batch<Metric> batch)
    {
        if (inner.ParentProvider is null && ParentProvider is { } provider)
        {
            ParentProviderProperty.SetValue(inner, provider);
        }

        var points = 0;
        foreach (var metric in batch)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                points++;
            }
        }

        var result = inner.Export(batch);
        if (result == ExportResult.Success)
        {
            statistics.Exported(points);
        }
        else
        {
            statistics.Failed();
        }

        onResult(result == ExportResult.Success, points);
        return result;
    }

    protected override bool OnForceFlush(int timeoutMilliseconds) => inner.ForceFlush(timeoutMilliseconds);

    protected override bool OnShutdown(int timeoutMilliseconds) => inner.Shutdown(timeoutMilliseconds);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
