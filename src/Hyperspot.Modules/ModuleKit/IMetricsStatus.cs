namespace Hyperspot.Modules.ModuleKit;

/// <summary>What the host tells <c>/health</c> about metrics export (registered when <c>metrics.enabled</c> is true).</summary>
public interface IMetricsStatus
{
    /// <summary>Metric points (one per instrument and set of attributes, per export) in exports the backend accepted.</summary>
    long PointsExported { get; }

    /// <summary>Exports the backend accepted.</summary>
    long BatchesExported { get; }

    /// <summary>Exports that failed (backend unreachable, refused, timed out); their points are lost for that interval.</summary>
    long ExportFailures { get; }
}
