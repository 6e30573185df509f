using Hyperspot.IntegrationTests.Support;

namespace Hyperspot.IntegrationTests.Reload;

/// <summary>The reload tests' configuration: tracing to the backend with a short export delay, a sampler and optional log levels.</summary>
public static class ReloadConfigs
{
    public static string With(string endpoint, string strategy, string logging = "", string port = "{port}", string exporterExtra = "") =>
        Configs.Tracing(endpoint, sampler: $"strategy: \"{strategy}\"", extraTracing: "batch:\n  scheduled_delay_ms: 200", exporterExtra: exporterExtra, logging: logging)
            .Replace("port: {port}", $"port: {port}");
}
