using System.Text.Json.Serialization;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Health;

/// <summary>The body of <c>GET /health</c>.</summary>
public sealed record HealthReport(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("tracing")] TracingHealth Tracing,
    [property: JsonPropertyName("metrics"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MetricsHealth? Metrics = null,
    [property: JsonPropertyName("config")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ConfigHealth? Config = null);

public sealed record TracingHealth(
    [property: JsonPropertyName("enabled")] bool Enabled,
    [property: JsonPropertyName("spans_exported")] long SpansExported,
    [property: JsonPropertyName("spans_dropped")] long SpansDropped);
