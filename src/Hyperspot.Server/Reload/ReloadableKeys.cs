namespace Hyperspot.Server.Reload;

/// <summary>
/// The configuration keys a running server takes on a reload: the sampler (<c>tracing.sampler.strategy</c>,
/// <c>ratio</c>), the recorded and redacted headers (<c>tracing.http.record_headers</c>, <c>redact_headers</c>) and
/// every log level (<c>logging.&lt;category&gt;.console_level</c> / <c>file_level</c>, <c>default</c> included).
/// Every other key needs a restart.
/// </summary>
public static class ReloadableKeys
{
    private static readonly string[] Exact =
    [
        "tracing.sampler.strategy",
        "tracing.sampler.ratio",
        "tracing.http.record_headers",
        "tracing.http.redact_headers",
    ];

    private static readonly string[] LevelKeys = [".console_level", ".file_level"];

    /// <param name="key">A configuration path, segments separated by '.' (<c>logging.Hyperspot.Server.console_level</c>).</param>
    public static bool Contains(string key)
    {
        if (Exact.Contains(key, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return key.StartsWith("logging.", StringComparison.OrdinalIgnoreCase)
            && !key.StartsWith("logging.otlp.", StringComparison.OrdinalIgnoreCase)
            && LevelKeys.Any(level => key.EndsWith(level, StringComparison.OrdinalIgnoreCase) && key.Length > "logging.".Length + level.Length);
    }
}
