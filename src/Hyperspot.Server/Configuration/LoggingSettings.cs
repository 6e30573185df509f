using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// The <c>logging</c> section: <c>default</c> holds the sinks and the base levels, <c>otlp</c> the export of log
/// records, and any other key is a log category with its own levels. The values the server uses are computed here from
/// the configured ones, the server's home directory and the command line's verbosity (<see cref="Apply"/>).
/// </summary>
public sealed class LoggingSettings
{
    private ServerSettings _server = new();
    private LogLevel? _verbosity;

    public LogDefaults Default { get; init; } = new();

    public LogOtlpSettings Otlp { get; init; } = new();

    /// <summary>Per-category levels, keyed by category prefix.</summary>
    [OtherKeys]
    public IReadOnlyDictionary<string, LogSectionSettings> Categories { get; private set; } = new Dictionary<string, LogSectionSettings>();

    /// <summary>The console level, lowered by <c>-v</c> (debug) or <c>-vv</c> (trace).</summary>
    public LogLevel ConsoleLevel => _verbosity is { } raised && raised < (LogLevel)Default.ConsoleLevel ? raised : (LogLevel)Default.ConsoleLevel;

    /// <summary>True when <c>-v</c> or <c>-vv</c> was given: framework categories are not quietened on the console.</summary>
    public bool Verbose => _verbosity is not null;

    /// <summary>The log file, absolute (resolved against <c>server.home_dir</c>); null when file logging is off.</summary>
    public string? File => Default.File.Trim() is { Length: > 0 } file ? _server.Resolve(file) : null;

    public bool FileRequired => Default.FileRequired;

    public LogLevel FileLevel => (LogLevel)Default.FileLevel;

    public LogFormat Format => Default.Format;

    public int MaxSizeMb => Default.MaxSizeMb;

    public int MaxBackups => Default.MaxBackups;

    /// <summary>Send log records through OTLP too, with the <c>tracing.exporter</c> settings.</summary>
    public bool OtlpEnabled => Otlp.Enabled;

    /// <summary>The post-bind step: what the other values are resolved against.</summary>
    public LoggingSettings Apply(ServerSettings server, LogLevel? verbosity)
    {
        (_server, _verbosity) = (server, verbosity);
        return this;
    }
}
