using System.Diagnostics;
using OpenTelemetry;

namespace Hyperspot.Server.Telemetry.ExporterCheck;

/// <summary>
/// Exports each item it is given at once, on the calling thread, through the real exporter, and keeps the result
/// and how long it took. Being a processor of the provider gives the exporter the provider's resource.
/// </summary>
public sealed class ProbeExportProcessor<T>(BaseExporter<T> exporter) : BaseExportProcessor<T>(exporter)
    where T : class
{
    public ExportResult? Result { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    /// <summary>What the exporter threw, if it threw (it normally reports failures as <see cref="ExportResult.Failure"/>).</summary>
    public Exception? Error { get; private set; }

    protected override void OnExport(T data)
    {
        var started = Stopwatch.StartNew();
        try
        {
            Result = exporter.Export(new Batch<T>([data], 1));
        }
        catch (Exception ex)
        {
            Error = ex;
            Result = ExportResult.Failure;
        }
        finally
        {
            Elapsed = started.Elapsed;
        }
    }
}
