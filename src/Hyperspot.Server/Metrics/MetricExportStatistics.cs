using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Metrics;

/// <summary>Counts what became of every periodic metrics export: accepted (with its points) or failed.</summary>
public sealed class MetricExportStatistics : IMetricsStatus
{
    private long _points;
    private long _batches;
    private long _failures;

    public long PointsExported => Interlocked.Read(ref _points);

    public long BatchesExported => Interlocked.Read(ref _batches);

    public long ExportFailures => Interlocked.Read(ref _failures);

    internal void Exported(int points)
    {
        Interlocked.Add(ref _points, points);
        Interlocked.Increment(ref _batches);
    }

    internal void Failed() => Interlocked.Increment(ref _failures);
}
