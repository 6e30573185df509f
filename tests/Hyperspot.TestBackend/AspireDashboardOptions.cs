namespace Hyperspot.TestBackend;

/// <summary>Options for <see cref="AspireDashboard.StartAsync"/>.</summary>
public sealed class AspireDashboardOptions
{
    /// <summary>
    /// When set, the OTLP receivers require the header <c>x-otlp-api-key: ApiKey</c>
    /// (<see cref="AspireDashboard.OtlpHeaders"/>). The query API stays open either way.
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>How long to wait for the dashboard to accept OTLP and answer its API. Default 60 s.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Extra dashboard configuration, e.g. <c>["Dashboard:TelemetryLimits:MaxTraceCount"] = "50000"</c>.
    /// Passed as environment variables (':' becomes "__").
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Path of the Aspire.Dashboard binary. When <c>null</c> it is located (and downloaded if needed)
    /// by <c>tools/trace-viewer/run.sh --print-path</c>.
    /// </summary>
    public string? BinaryPath { get; init; }
}
