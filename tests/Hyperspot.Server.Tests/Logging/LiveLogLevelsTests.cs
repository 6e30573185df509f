using Hyperspot.Server.Logging;
using Hyperspot.Server.Tests.Support;
using Microsoft.Extensions.Logging;
using Serilog.Events;

namespace Hyperspot.Server.Tests.Logging;

/// <summary>Log levels changed while loggers exist: the factory's loggers, the pipeline minimum and the sinks follow.</summary>
public sealed class LiveLogLevelsTests
{
    private const string Quiet = """
        logging:
          default:
            console_level: "info"
            file: ""
        """;

    private const string Loud = """
        logging:
          default:
            console_level: "info"
            file: ""
          Hyperspot.Examples:
            console_level: "debug"
        """;

    [Fact]
    public void A_logger_created_before_a_change_follows_it_for_its_category_only()
    {
        var levels = new LiveLogLevels(Config.Read(Quiet).Logging, writeFile: false);
        var written = new ListLogger<object>();
        using var factory = new RedactingLoggerFactory(new OneLoggerFactory(written), levels);
        var examples = factory.CreateLogger("Hyperspot.Examples.Relay");
        var other = factory.CreateLogger("Hyperspot.Server");
        examples.LogDebug("before");
        Assert.False(examples.IsEnabled(LogLevel.Debug));

        levels.Update(Config.Read(Loud).Logging);

        examples.LogDebug("during");
        other.LogDebug("other");
        Assert.Equal(["during"], written.Entries.Select(e => e.Message));
        Assert.True(examples.IsEnabled(LogLevel.Debug));
        Assert.Equal(LogEventLevel.Debug, levels.Current.Gate("Hyperspot.Examples.Relay"));
        Assert.Equal(LogEventLevel.Information, levels.Current.Gate("Hyperspot.Server"));
        Assert.Equal(LogEventLevel.Debug, levels.Minimum.MinimumLevel);
        Assert.False(other.IsEnabled(LogLevel.Debug));

        levels.Update(Config.Read(Quiet).Logging);

        Assert.Equal(LogEventLevel.Information, levels.Current.Gate("Hyperspot.Examples.Relay"));
        Assert.Equal(LogEventLevel.Information, levels.Minimum.MinimumLevel);
        Assert.False(examples.IsEnabled(LogLevel.Debug));
        examples.LogDebug("after");
        Assert.Equal(["during"], written.Entries.Select(e => e.Message));
    }

    private sealed class OneLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
