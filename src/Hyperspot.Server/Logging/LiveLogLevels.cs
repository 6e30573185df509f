using Hyperspot.Server.Configuration;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;

namespace Hyperspot.Server.Logging;

/// <summary>
/// The log levels in force, per sink and category, which a configuration reload replaces (<see cref="Update"/>).
/// Three places read them: the loggers of the logger factory (<see cref="RedactingLoggerFactory"/>), which skip an
/// event below its category's level before it is built; the pipeline's filter, for events logged through Serilog
/// directly; and the console and file sinks, each with its own levels. Whether there is a file and whether
/// <c>-v</c> unquietened the framework are fixed at start.
/// </summary>
public sealed class LiveLogLevels
{
    private readonly bool _writeFile;
    private readonly bool _quietFramework;
    private volatile LogLevelSnapshot _current;

    public LiveLogLevels(LoggingSettings logging, bool writeFile)
    {
        (_writeFile, _quietFramework) = (writeFile, !logging.Verbose);
        _current = Build(logging);
        Minimum.MinimumLevel = _current.Lowest;
    }

    /// <summary>The pipeline's minimum: the lowest level any category is written at.</summary>
    public LoggingLevelSwitch Minimum { get; } = new();

    public LogLevelSnapshot Current => _current;

    /// <summary>Events from now on are written at the levels of <paramref name="logging"/>.</summary>
    public void Update(LoggingSettings logging)
    {
        var next = Build(logging);
        // Lower the minimum first when it goes down, last when it goes up: no event the new levels want is lost.
        if (next.Lowest < Minimum.MinimumLevel)
        {
            Minimum.MinimumLevel = next.Lowest;
        }

        _current = next;
        Minimum.MinimumLevel = next.Lowest;
    }

    /// <summary>The pipeline filter: an event written through Serilog directly, at or above its category's level.</summary>
    public bool Allows(LogEvent logEvent) => logEvent.Level >= _current.Gate(LogLevelSnapshot.CategoryOf(logEvent));

    private LogLevelSnapshot Build(LoggingSettings logging) => new(
        new CategoryLevels(logging.ConsoleLevel, logging.Categories.ToDictionary(c => c.Key, c => c.Value.ConsoleLevel), _quietFramework),
        new CategoryLevels(logging.FileLevel, logging.Categories.ToDictionary(c => c.Key, c => c.Value.FileLevel)),
        _writeFile);
}
