using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Configuration;

/// <summary>The <c>logging</c> section.</summary>
public sealed class LoggingSettings
{
    public LogLevel ConsoleLevel { get; init; } = LogLevel.Information;

    /// <summary>True when <c>-v</c> or <c>-vv</c> raised the console level: framework categories are not quietened on the console.</summary>
    public bool Verbose { get; init; }

    /// <summary>The log file, absolute (resolved against <c>server.home_dir</c>); null when file logging is off.</summary>
    public string? File { get; init; }

    /// <summary>When true, a log file that cannot be written is a start-up error; when false, the server goes on with the console.</summary>
    public bool FileRequired { get; init; } = true;

    public LogLevel FileLevel { get; init; } = LogLevel.Debug;

    public LogFormat Format { get; init; } = LogFormat.Text;

    public int MaxSizeMb { get; init; } = 100;

    public int MaxBackups { get; init; } = 5;

    /// <summary>Per-category levels, keyed by category prefix.</summary>
    public IReadOnlyDictionary<string, LogSectionSettings> Categories { get; init; } = new Dictionary<string, LogSectionSettings>();

    /// <summary>Send log records through OTLP too, with the <c>tracing.exporter</c> settings.</summary>
    public bool OtlpEnabled { get; init; }

    public static LoggingSettings Read(SectionReader section, ServerSettings server, LogLevel? verbosity)
    {
        var defaults = new LoggingSettings();
        var main = section.Section("default");
        var consoleLevel = main.Choice("console_level", defaults.ConsoleLevel, LogSectionSettings.LevelNames, 6);
        var file = main.String("file", "logs/hyperspot.log").Trim();
        var otlp = section.Section("otlp");
        var settings = new LoggingSettings
        {
            ConsoleLevel = verbosity is { } raised && raised < consoleLevel ? raised : consoleLevel,
            Verbose = verbosity is not null,
            File = file.Length == 0 ? null : server.Resolve(file),
            FileRequired = main.Bool("file_required", defaults.FileRequired),
            FileLevel = main.Choice("file_level", defaults.FileLevel, LogSectionSettings.LevelNames, 6),
            Format = main.Choice("format", defaults.Format, [("text", LogFormat.Text), ("json", LogFormat.Json)]),
            MaxSizeMb = main.Int("max_size_mb", defaults.MaxSizeMb, 1, 1_000_000),
            MaxBackups = main.Int("max_backups", defaults.MaxBackups, 0, 10_000),
            OtlpEnabled = otlp.Bool("enabled", false),
            Categories = ReadCategories(section),
        };
        main.RejectUnknownKeys();
        otlp.RejectUnknownKeys();
        return settings;
    }

    private static Dictionary<string, LogSectionSettings> ReadCategories(SectionReader section)
    {
        var categories = new Dictionary<string, LogSectionSettings>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in section.UnreadKeys().ToList())
        {
            categories[key] = LogSectionSettings.ReadCategory(section.Section(key));
        }

        return categories;
    }
}
