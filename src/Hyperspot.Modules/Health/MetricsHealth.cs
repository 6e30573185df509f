using System.Text.Json.Serialization;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Health;

/// <summary>The <c>metrics</c> block of <c>GET /health</c>, present when <c>metrics.enabled</c> is true.</summary>
public sealed record MetricsHealth(
    [property: JsonPropertyName("enabled")] bool Enabled,
    [property: JsonPropertyName("points_exported")] long PointsExported,
    [property: JsonPropertyName("batches_exported")] long BatchesExported,
    [property: JsonPropertyName("export_failures")] long ExportFailures)
{
    public static MetricsHealth? Of(IMetricsStatus? status) =>
        status is null ? null : new(true, status.PointsExported, status.BatchesExported, status.ExportFailures);
}
