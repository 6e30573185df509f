using System.Diagnostics;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Logging;
using Hyperspot.Server.Reload;
using Hyperspot.Server.Telemetry;
using Hyperspot.Server.Tests.Support;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Serilog.Events;

namespace Hyperspot.Server.Tests.Reload;

/// <summary>One reload at a time, in-process: what is applied, logged and recorded for <c>/health</c>.</summary>
public sealed class ConfigurationReloaderTests
{
    private const string Start = """
        server:
          port: 8087
        tracing:
          enabled: true
          sampler:
            strategy: "always_off"
        logging:
          default:
            console_level: "info"
        """;

    private readonly ListLogger<ConfigurationReloader> _log = new();
    private readonly ReloadStatus _status = new();
    private readonly ReloadableSampler _sampler = new(new AlwaysOffSampler());
    private readonly LiveLogLevels _levels;
    private readonly ConfigurationReloader _reloader;
    private string _yaml = Start;

    public ConfigurationReloaderTests()
    {
        var running = Config.Read(Start);
        _levels = new LiveLogLevels(running.Logging, writeFile: false);
        _reloader = new ConfigurationReloader(
            () => Config.Read(_yaml), "/etc/hyperspot.yaml", running, new ReloadTargets(_sampler, null, _levels), _status, new OneLoggerFactory(_log));
    }

    [Fact]
    public void A_valid_change_is_applied_logged_once_and_starts_a_generation()
    {
        _yaml = Start.Replace("always_off", "always_on").Replace("\"info\"", "\"debug\"");

        _reloader.Reload("SIGHUP");

        Assert.Equal(SamplingDecision.RecordAndSample, _sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), "GET /", ActivityKind.Server)).Decision);
        Assert.Equal(LogEventLevel.Debug, _levels.Current.Gate("Hyperspot.Examples"));
        var line = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("logging.default.console_level = info -> debug", line.Message);
        Assert.Contains("tracing.sampler.strategy = always_off -> always_on", line.Message);
        Assert.Equal((2, ReloadStatus.Applied), (_status.Generation, _status.LastReload!.Result));
    }

    [Fact]
    public void An_invalid_file_changes_nothing_and_one_error_names_the_file_and_every_bad_key()
    {
        _yaml = Start.Replace("always_off", "sometimes").Replace("port: 8087", "port: 8087\n  colour: \"blue\"").Replace("\"info\"", "\"debug\"");

        _reloader.Reload("file change");

        Assert.Equal(SamplingDecision.Drop, _sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), "GET /", ActivityKind.Server)).Decision);
        Assert.Equal(LogEventLevel.Information, _levels.Current.Gate("Hyperspot.Examples"));
        var line = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Contains("/etc/hyperspot.yaml", line.Message);
        Assert.Contains("tracing.sampler.strategy", line.Message);
        Assert.Contains("server.colour", line.Message);
        Assert.Equal((1, ReloadStatus.Failed), (_status.Generation, _status.LastReload!.Result));
        Assert.Contains("server.colour", _status.LastReload.Error);
    }

    [Fact]
    public void A_changed_port_is_one_warning_and_nothing_is_applied()
    {
        _yaml = Start.Replace("8087", "9000");

        _reloader.Reload("file change");

        var line = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("server.port = 8087 -> 9000", line.Message);
        Assert.Equal((1, ReloadStatus.Unchanged), (_status.Generation, _status.LastReload!.Result));
        Assert.Equal(["server.port"], _status.LastReload.RestartRequired);
    }

    [Fact]
    public void The_same_file_again_is_unchanged()
    {
        _reloader.Reload("SIGHUP");

        Assert.Contains("nothing changed", Assert.Single(_log.Entries).Message);
        Assert.Equal((1, ReloadStatus.Unchanged), (_status.Generation, _status.LastReload!.Result));
    }

    [Fact]
    public void An_APP_variable_still_wins_over_the_reloaded_file()
    {
        var environment = new Dictionary<string, string> { ["APP__TRACING__SAMPLER__STRATEGY"] = "always_off" };
        var running = Config.Read(Start, environment);
        var reloader = new ConfigurationReloader(
            () => Config.Read(_yaml, environment), null, running, new ReloadTargets(_sampler, null, _levels), _status, new OneLoggerFactory(_log));
        _yaml = Start.Replace("always_off", "always_on").Replace("\"info\"", "\"debug\"");

        reloader.Reload("SIGHUP");

        Assert.Equal(SamplingDecision.Drop, _sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), "GET /", ActivityKind.Server)).Decision);
        var line = Assert.Single(_log.Entries).Message;
        Assert.Contains("logging.default.console_level = info -> debug", line);
        Assert.DoesNotContain("tracing.sampler", line);
    }

    [Fact]
    public void A_reload_that_raises_the_console_level_above_info_still_shows_its_line()
    {
        var shown = new List<string>();
        var reloader = new ConfigurationReloader(
            () => Config.Read(_yaml), "/etc/hyperspot.yaml", Config.Read(Start), new ReloadTargets(_sampler, null, _levels), _status,
            new OneLoggerFactory(new LevelGatedLogger(_levels, shown)));
        _yaml = Start.Replace("\"info\"", "\"warn\"");

        reloader.Reload("SIGHUP");

        Assert.Equal(LogEventLevel.Warning, _levels.Current.Gate(ConfigurationReloader.Category));
        Assert.Contains(shown, line => line.Contains("logging.default.console_level = info -> warn", StringComparison.Ordinal));
    }

    /// <summary>Keeps what the live levels let through at the moment it is logged, as the server's loggers do.</summary>
    private sealed class LevelGatedLogger(LiveLogLevels levels, List<string> shown) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => (int)logLevel >= (int)levels.Current.Gate(ConfigurationReloader.Category);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                shown.Add(formatter(state, exception));
            }
        }
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
