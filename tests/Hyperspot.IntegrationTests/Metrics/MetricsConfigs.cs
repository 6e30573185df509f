using Hyperspot.IntegrationTests.Support;

namespace Hyperspot.IntegrationTests.Metrics;

/// <summary>The tracing configuration of <see cref="Configs.Tracing"/> with a <c>metrics</c> section after it.</summary>
internal static class MetricsConfigs
{
    public static string With(string endpoint, bool enabled, int intervalMs = 500, string kind = "otlp_grpc", bool exemplars = true) =>
        Configs.Tracing(endpoint, kind) + $"""

        metrics:
          enabled: {(enabled ? "true" : "false")}
          export_interval_ms: {intervalMs}
          exemplars: {(exemplars ? "true" : "false")}
        """;
}
