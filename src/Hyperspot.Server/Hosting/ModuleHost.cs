using Hyperspot.Modules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Hosting;

/// <summary>
/// Starts the modules in dependency order and stops them in reverse order. Each stop is bounded by
/// <paramref name="stopTimeout"/> and by the host's shutdown token; a stop that fails or hangs is logged and the others
/// still stop. Once the host's token is cancelled (<c>server.shutdown_timeout_ms</c> ran out, or is 0: do not wait),
/// the modules not stopped yet are still asked to stop, in reverse order, but not waited for. If a start fails, the
/// modules started before it are stopped before the failure is passed on.
/// </summary>
public sealed class ModuleHost(
    IReadOnlyList<IModule> modules,
    IServiceProvider services,
    TimeSpan stopTimeout,
    ILogger<ModuleHost> logger) : IHostedService
{
    private readonly List<IModule> _started = [];
    private readonly Lock _stopGate = new();
    private Task? _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var module in modules)
        {
            try
            {
                await module.StartAsync(services, cancellationToken);
            }
            catch (Exception ex)
            {
                // The host does not stop services after a failed start, so the modules already started are stopped
                // here: they may hold connections or files that a process exit would cut off uncleanly.
                logger.LogError(ex, "Module {Module} failed to start; stopping the {Count} started before it", module.Name, _started.Count);
                await StopAsync(CancellationToken.None);
                throw;
            }

            _started.Add(module);
            logger.LogDebug("Module {Module} started", module.Name);
        }

        logger.LogInformation("Modules started: {Modules}", string.Join(", ", modules.Select(m => m.Name)));
    }

    /// <summary>
    /// Stops the started modules once: a host may be stopped twice at the same time (its own run loop and a caller of
    /// <c>StopAsync</c>, as under WebApplicationFactory), and both callers then wait for the same stop.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopGate)
        {
            return _stopping ??= StopModulesAsync(cancellationToken);
        }
    }

    private async Task StopModulesAsync(CancellationToken cancellationToken)
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                StopWithoutWaiting(_started[..(i + 1)], cancellationToken);
                break;
            }

            var module = _started[i];
            // Not disposed here: an abandoned stop may still be running and reading the token.
            var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(stopTimeout);
            var token = timeout.Token;
            try
            {
                // On the thread pool, so that a module that blocks its thread before returning a task is bounded too.
                var stop = Task.Run(() => module.StopAsync(services, token), CancellationToken.None);
                _ = stop.ContinueWith(_ => timeout.Dispose(), TaskScheduler.Default);
                await stop.WaitAsync(token);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Module {Module} did not stop before server.shutdown_timeout_ms ran out; going on without it", module.Name);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                logger.LogWarning("Module {Module} did not stop within {TimeoutMs} ms; going on without it", module.Name, (int)stopTimeout.TotalMilliseconds);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Module {Module} failed to stop", module.Name);
            }
        }

        _started.Clear();
    }

    /// <summary>
    /// No time is left: each module is asked to stop (in reverse order, with the cancelled token, so a cooperative one
    /// returns at once) and none is waited for. With <c>server.shutdown_timeout_ms: 0</c> that is what was asked for,
    /// so it is not a warning.
    /// </summary>
    private void StopWithoutWaiting(List<IModule> remaining, CancellationToken cancelled)
    {
        for (var i = remaining.Count - 1; i >= 0; i--)
        {
            var module = remaining[i];
            var stop = Task.Run(() => module.StopAsync(services, cancelled), CancellationToken.None);
            _ = stop.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        var names = string.Join(", ", remaining.Select(m => m.Name).Reverse());
        if (services.GetService<IOptions<HostOptions>>()?.Value.ShutdownTimeout == TimeSpan.Zero)
        {
            logger.LogDebug("server.shutdown_timeout_ms is 0: modules {Modules} asked to stop, not waited for", names);
        }
        else
        {
            logger.LogWarning("server.shutdown_timeout_ms ran out before modules {Modules} could stop: asked to stop, not waited for", names);
        }
    }
}
