using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Configuration;

/// <summary>A log category's section under <c>logging</c> (<c>Microsoft.AspNetCore</c>): its own levels, when set.</summary>
public sealed class LogSectionSettings
{
    [ConfigurationKeyName("console_level")]
    public LevelName? Console { get; init; }

    [ConfigurationKeyName("file_level")]
    public LevelName? File { get; init; }

    public LogLevel? ConsoleLevel => (LogLevel?)Console;

    public LogLevel? FileLevel => (LogLevel?)File;
}
