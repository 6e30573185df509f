using System.Runtime.InteropServices;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Redaction;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Reload;

/// <summary>
/// Re-reads the configuration while the server runs: when the <c>--config</c> file changes (written in place or
/// replaced by a rename; events within <see cref="Debounce"/> are taken together) and on SIGHUP. The same layered load
/// as at start runs again (file, <c>OTEL_*</c>, <c>APP__</c>, command line; the same limits and validation as
/// <c>check</c>). A valid result is compared with the running configuration: the keys the server can take
/// (<see cref="ReloadableKeys"/>) are applied and logged in one line, old and new values shown with secrets masked;
/// the other changed keys are named in one warning and keep their running values until a restart. An invalid result
/// changes nothing: one error line names the file and every problem. Each reload is recorded for <c>/health</c>.
/// The file is watched and SIGHUP taken from <see cref="StartingAsync"/>, before any service starts: the web server
/// starts (and says it listens) before the services registered after it, so a SIGHUP sent as soon as the server
/// listened used to arrive before anything handled it and was lost.
/// </summary>
public sealed class ConfigurationReloader : IHostedLifecycleService, IDisposable
{
    public const string Category = "Hyperspot.Server.Reload";

    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    private readonly Func<HyperspotSettings> _load;
    private readonly string? _configPath;
    private readonly ReloadTargets _targets;
    private readonly ReloadStatus _status;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Timer _debounce;
    private ConfigurationSnapshot _running;
    private FileSystemWatcher? _watcher;
    private PosixSignalRegistration? _hangup;
    private bool _started;

    /// <param name="load">The layered load and validation the server started with; throws <see cref="ConfigurationException"/>.</param>
    /// <param name="configPath">The watched file, or null when the server runs without <c>--config</c>.</param>
    public ConfigurationReloader(
        Func<HyperspotSettings> load, string? configPath, HyperspotSettings running, ReloadTargets targets, ReloadStatus status, ILoggerFactory loggers)
    {
        (_load, _configPath, _targets, _status) = (load, configPath is null ? null : Path.GetFullPath(configPath), targets, status);
        _running = ConfigurationSnapshot.Of(running);
        _logger = loggers.CreateLogger(Category);
        _debounce = new Timer(_ => Reload("file change"));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => StartAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            return Task.CompletedTask;
        }

        _started = true;
        if (_configPath is not null)
        {
            Watch(_configPath);
        }

        try
        {
            _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                ThreadPool.QueueUserWorkItem(_ => Reload("SIGHUP"));
            });
        }
        catch (PlatformNotSupportedException)
        {
            // No SIGHUP here (Windows): the file is still watched.
        }

        return Task.CompletedTask;
    }

    private void Watch(string file)
    {
        try
        {
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(file)!)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            _watcher.Changed += (_, e) => OnFileEvent(e.FullPath);
            _watcher.Created += (_, e) => OnFileEvent(e.FullPath);
            _watcher.Renamed += (_, e) => OnFileEvent(e.FullPath);
            _watcher.Error += (_, e) => _logger.LogWarning("Watching {File} for changes failed ({Reason}); SIGHUP still reloads it", file, e.GetException().Message);
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            // The system's limit of watches reached, a directory that went away: the server runs on, SIGHUP reloads.
            _watcher?.Dispose();
            _watcher = null;
            _logger.LogWarning("Cannot watch {File} for changes ({Reason}); send SIGHUP to reload it", file, SecretRedactor.RedactText(ex.Message));
        }
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _hangup?.Dispose();
        _watcher?.Dispose();
        _debounce.Dispose();
    }

    /// <summary>Re-reads the configuration now and applies what it can; <paramref name="trigger"/> is named in the log line.</summary>
    public void Reload(string trigger)
    {
        lock (_gate)
        {
            HyperspotSettings loaded;
            try
            {
                loaded = _load();
            }
            catch (ConfigurationException ex)
            {
                var errors = string.Join("; ", ex.Errors);
                _logger.LogError(
                    "Configuration reload ({Trigger}) of {File} refused, the server keeps its running configuration: {Errors}",
                    trigger, Source, errors);
                _status.Record(ReloadStatus.Failed, errors, _status.LastReload?.RestartRequired ?? []);
                return;
            }
            catch (Exception ex)
            {
                // Anything else the load can meet must not end the process from a timer or signal thread.
                var error = $"config file {Source}: cannot be read ({SecretRedactor.RedactText(ex.Message)})";
                _logger.LogError("Configuration reload ({Trigger}) refused, the server keeps its running configuration: {Errors}", trigger, error);
                _status.Record(ReloadStatus.Failed, error, _status.LastReload?.RestartRequired ?? []);
                return;
            }

            var next = ConfigurationSnapshot.Of(loaded);
            var changes = _running.ChangesTo(next);
            var applied = changes.Where(c => !c.NeedsRestart).ToList();
            var restart = changes.Where(c => c.NeedsRestart).ToList();
            if (applied.Count > 0)
            {
                // Written before the new levels apply, so that a reload raising the level above info still says so.
                _logger.LogInformation(
                    "Configuration reloaded ({Trigger}) from {File}, generation {Generation}: {Changes}",
                    trigger, Source, _status.Generation + 1, string.Join("; ", applied));
                _targets.Apply(loaded);
                _running = _running.With(applied);
            }

            _status.Record(applied.Count > 0 ? ReloadStatus.Applied : ReloadStatus.Unchanged, null, [.. restart.Select(c => c.Key)]);
            if (applied.Count == 0 && restart.Count == 0)
            {
                _logger.LogInformation("Configuration reload ({Trigger}) of {File}: nothing changed", trigger, Source);
            }

            if (restart.Count > 0)
            {
                _logger.LogWarning(
                    "Configuration reload ({Trigger}) of {File}: changes to {Keys} need a restart; the server keeps running with the old values ({Changes})",
                    trigger, Source, string.Join(", ", restart.Select(c => c.Key)), string.Join("; ", restart));
            }
        }
    }

    private string Source => _configPath ?? "the environment and command line (no --config file)";

    private void OnFileEvent(string path)
    {
        if (string.Equals(path, _configPath, StringComparison.Ordinal))
        {
            _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
    }
}
