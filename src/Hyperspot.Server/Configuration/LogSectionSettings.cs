using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Configuration;

public enum LogFormat
{
    Text,
    Json,
}

/// <summary>
/// One section of <c>logging</c>: <c>default</c> holds the sinks and the base levels; any other section is a
/// category prefix (<c>Microsoft.AspNetCore</c>) with its own levels.
/// </summary>
public sealed class LogSectionSettings
{
    public static readonly IReadOnlyList<(string Name, LogLevel Value)> LevelNames =
    [
        ("trace", LogLevel.Trace),
        ("debug", LogLevel.Debug),
        ("info", LogLevel.Information),
        ("warn", LogLevel.Warning),
        ("error", LogLevel.Error),
        ("off", LogLevel.None),
        ("information", LogLevel.Information),
        ("warning", LogLevel.Warning),
        ("critical", LogLevel.Critical),
        ("none", LogLevel.None),
    ];

    public LogLevel? ConsoleLevel { get; init; }

    public LogLevel? FileLevel { get; init; }

    public static LogSectionSettings ReadCategory(SectionReader section)
    {
        var settings = new LogSectionSettings
        {
            ConsoleLevel = section.Raw.GetSection("console_level").Value is null ? null : section.Choice("console_level", LogLevel.Information, LevelNames, 6),
            FileLevel = section.Raw.GetSection("file_level").Value is null ? null : section.Choice("file_level", LogLevel.Debug, LevelNames, 6),
        };
        section.Accept("console_level");
        section.Accept("file_level");
        section.RejectUnknownKeys();
        return settings;
    }
}
