using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>The <c>logging.default</c> section.</summary>
public sealed class LogDefaults
{
    [ConfigurationKeyName("console_level")]
    public LevelName ConsoleLevel { get; init; } = LevelName.Info;

    /// <summary>Relative to <c>server.home_dir</c>; empty turns file logging off.</summary>
    public string File { get; init; } = "logs/hyperspot.log";

    /// <summary>When true, a log file that cannot be written is a start-up error; when false, the server goes on with the console.</summary>
    [ConfigurationKeyName("file_required")]
    public bool FileRequired { get; init; } = true;

    [ConfigurationKeyName("file_level")]
    public LevelName FileLevel { get; init; } = LevelName.Debug;

    public LogFormat Format { get; init; } = LogFormat.Text;

    [Range(1, 1_000_000)]
    [ConfigurationKeyName("max_size_mb")]
    public int MaxSizeMb { get; init; } = 100;

    [Range(0, 10_000)]
    [ConfigurationKeyName("max_backups")]
    public int MaxBackups { get; init; } = 5;
}
