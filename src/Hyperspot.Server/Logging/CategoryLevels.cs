using System.Collections.Concurrent;
using Hyperspot.Server.Configuration;
using Microsoft.Extensions.Logging;
using Serilog.Events;

namespace Hyperspot.Server.Logging;

/// <summary>
/// The minimum level of one sink (console or file) per log category: the longest configured category prefix
/// wins, then the built-in quiet defaults for framework chatter, then the sink's own level.
/// </summary>
public sealed class CategoryLevels
{
    /// <summary>A level above every real one: "off".</summary>
    public const LogEventLevel Off = (LogEventLevel)(LogEventLevel.Fatal + 1);

    /// <summary>Framework categories that are noisy at Information; a <c>logging.&lt;category&gt;</c> section overrides them.</summary>
    public static readonly IReadOnlyDictionary<string, LogLevel> QuietDefaults = new Dictionary<string, LogLevel>
    {
        ["Microsoft.AspNetCore"] = LogLevel.Warning,
        ["Microsoft.Extensions.Http"] = LogLevel.Warning,
        ["System.Net.Http.HttpClient"] = LogLevel.Warning,
        ["OpenTelemetry"] = LogLevel.Warning,
    };

    private readonly LogEventLevel _default;
    private readonly (string Prefix, LogEventLevel Level)[] _prefixes;
    private readonly ConcurrentDictionary<string, LogEventLevel> _cache = new(StringComparer.Ordinal);

    /// <param name="quietFramework">False when the user asked for verbose output (<c>-v</c>, <c>-vv</c>): framework categories are not quietened.</param>
    public CategoryLevels(LogLevel sinkLevel, IReadOnlyDictionary<string, LogLevel?> configured, bool quietFramework = true)
    {
        _default = ToSerilog(sinkLevel);
        var prefixes = new Dictionary<string, LogEventLevel>(StringComparer.OrdinalIgnoreCase);
        foreach (var (prefix, level) in quietFramework ? QuietDefaults : new Dictionary<string, LogLevel>())
        {
            prefixes[prefix] = Max(ToSerilog(level), _default);
        }

        foreach (var (prefix, level) in configured)
        {
            if (level is { } set)
            {
                prefixes[prefix] = ToSerilog(set);
            }
        }

        _prefixes = prefixes.OrderByDescending(p => p.Key.Length).Select(p => (p.Key, p.Value)).ToArray();
    }

    public LogEventLevel Default => _default;

    public IEnumerable<string> Prefixes => _prefixes.Select(p => p.Prefix);

    public LogEventLevel For(string? category)
    {
        if (category is null)
        {
            return _default;
        }

        return _cache.TryGetValue(category, out var level) ? level : _cache.GetOrAdd(category, Resolve(category));
    }

    public bool Allows(LogEvent logEvent) =>
        logEvent.Level >= For(logEvent.Properties.TryGetValue("SourceContext", out var value) && value is ScalarValue { Value: string category } ? category : null);

    private LogEventLevel Resolve(string category)
    {
        foreach (var (prefix, level) in _prefixes)
        {
            if (category.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && (category.Length == prefix.Length || category[prefix.Length] == '.'))
            {
                return level;
            }
        }

        return _default;
    }

    public static LogEventLevel ToSerilog(LogLevel level) => level switch
    {
        LogLevel.Trace => LogEventLevel.Verbose,
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Information => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        LogLevel.Critical => LogEventLevel.Fatal,
        _ => Off,
    };

    private static LogEventLevel Max(LogEventLevel a, LogEventLevel b) => a > b ? a : b;
}
