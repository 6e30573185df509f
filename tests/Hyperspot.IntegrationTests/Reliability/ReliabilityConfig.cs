using Hyperspot.IntegrationTests.Support;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>YAML for the reliability tests, with the knobs they turn; {home}, {port} and {service} are filled in by <see cref="TestServer"/>.</summary>
internal static class ReliabilityConfig
{
    /// <param name="tracingEnabled">False for the no-tracing baseline (same configuration otherwise).</param>
    /// <param name="batch">Lines under <c>tracing.batch</c>, e.g. <c>"max_queue_size: 64"</c>.</param>
    /// <param name="exporterHeaders">Lines under <c>tracing.exporter.headers</c>.</param>
    /// <param name="http">Lines under <c>tracing.http</c>.</param>
    /// <param name="logging">Lines under <c>logging.default</c>.</param>
    /// <param name="extraLogging">Further <c>logging</c> sections (e.g. <c>otlp:</c>), indented two spaces less than <paramref name="logging"/>.</param>
    public static string Yaml(
        string endpoint,
        string kind = "otlp_http",
        int timeoutMs = 1000,
        bool tracingEnabled = true,
        int shutdownTimeoutMs = 10_000,
        IEnumerable<string>? batch = null,
        IEnumerable<string>? exporterHeaders = null,
        IEnumerable<string>? http = null,
        IEnumerable<string>? logging = null,
        IEnumerable<string>? extraLogging = null)
    {
        var lines = new List<string>
        {
            "server:",
            "  home_dir: \"{home}\"",
            "  port: {port}",
            $"  shutdown_timeout_ms: {shutdownTimeoutMs}",
            "tracing:",
            $"  enabled: {(tracingEnabled ? "true" : "false")}",
            "  service_name: \"{service}\"",
            "  sampler:",
            "    strategy: \"always_on\"",
            "  exporter:",
            $"    kind: \"{kind}\"",
            $"    endpoint: \"{endpoint}\"",
            $"    timeout_ms: {timeoutMs}",
        };
        Section(lines, "    headers:", "      ", exporterHeaders);
        Section(lines, "  batch:", "    ", batch);
        Section(lines, "  http:", "    ", http);
        lines.Add("logging:");
        lines.Add("  default:");
        lines.AddRange((logging ?? ["console_level: \"info\"", "file: \"logs/hyperspot.log\"", "file_level: \"info\""]).Select(l => "    " + l));
        lines.AddRange((extraLogging ?? []).Select(l => "  " + l));
        return string.Join('\n', lines) + "\n";
    }

    private static void Section(List<string> lines, string header, string indent, IEnumerable<string>? items)
    {
        var list = items?.ToList();
        if (list is { Count: > 0 })
        {
            lines.Add(header);
            lines.AddRange(list.Select(i => indent + i));
        }
    }
}
