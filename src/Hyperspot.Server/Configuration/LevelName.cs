using System.ComponentModel;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// A log level as the configuration writes it. <see cref="LogLevel"/> is not ours to give a type converter (one
/// registered on it at run time would change how every other reader of the process converts it), so this enum mirrors
/// its values one for one and converts with a cast.
/// </summary>
[TypeConverter(typeof(ConfigNames))]
public enum LevelName
{
    Trace = LogLevel.Trace,
    Debug = LogLevel.Debug,
    [ConfigName("info", "information")]
    Info = LogLevel.Information,
    [ConfigName("warn", "warning")]
    Warn = LogLevel.Warning,
    Error = LogLevel.Error,
    [ConfigName(null, "critical")]
    Critical = LogLevel.Critical,
    [ConfigName("off", "none")]
    Off = LogLevel.None,
}
