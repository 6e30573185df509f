using Hyperspot.Modules;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Telemetry;

/// <summary>Counts what happened to every sampled span: exported, or dropped (and why).</summary>
public sealed class ExportStatistics : ITelemetryStatus
{
    private long _exported;
    private long _droppedQueueFull;
    private long _droppedExportFailed;
    private long _droppedAtShutdown;

    public bool TracingEnabled { get; init; }

    public long SpansExported => Interlocked.Read(ref _exported);

    /// <summary>Spans that found the export queue full.</summary>
    public long SpansDroppedQueueFull => Interlocked.Read(ref _droppedQueueFull);

    /// <summary>Spans in batches the backend did not accept after the bounded retries.</summary>
    public long SpansDroppedExportFailed => Interlocked.Read(ref _droppedExportFailed);

    /// <summary>Spans still queued or being sent when shutdown ran out of <c>server.shutdown_timeout_ms</c>.</summary>
    public long SpansDroppedAtShutdown => Interlocked.Read(ref _droppedAtShutdown);

    public long SpansDropped => SpansDroppedQueueFull + SpansDroppedExportFailed + SpansDroppedAtShutdown;

    internal void DroppedQueueFull() => Interlocked.Increment(ref _droppedQueueFull);

    internal void Exported(int count) => Interlocked.Add(ref _exported, count);

    internal void ExportFailed(int count) => Interlocked.Add(ref _droppedExportFailed, count);

    internal void DroppedAtShutdown(long count) => Interlocked.Add(ref _droppedAtShutdown, count);
}
