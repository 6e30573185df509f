using System.Text.Json.Serialization;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Health;

/// <summary>The <c>config</c> part of <c>GET /health</c>: the configuration generation and the last reload.</summary>
public sealed record ConfigHealth(
    [property: JsonPropertyName("generation")] long Generation,
    [property: JsonPropertyName("last_reload")] ReloadHealth? LastReload)
{
    public static ConfigHealth From(IConfigurationStatus status) => new(
        status.Generation,
        status.LastReload is { } last ? new ReloadHealth(last.At, last.Result, last.Error, last.RestartRequired) : null);
}

public sealed record ReloadHealth(
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("error")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    [property: JsonPropertyName("restart_required")] IReadOnlyList<string> RestartRequired);
