using Hyperspot.Server.Configuration;
using Microsoft.Extensions.Hosting;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// A hosted service that acts once the host has stopped everything else, within what is left of
/// <c>server.shutdown_timeout_ms</c> since the stop was asked for (at least half a second): the export of the last
/// spans, log records and measurements.
/// </summary>
public abstract class ShutdownBudgetService(ServerSettings server) : IHostedLifecycleService
{
    private DateTime _stopRequested = DateTime.MaxValue;

    public virtual Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopRequested = DateTime.UtcNow;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        var budget = TimeSpan.FromMilliseconds(server.ShutdownTimeoutMs) - (DateTime.UtcNow - _stopRequested);
        return AfterStopAsync((int)Math.Max(500, budget.TotalMilliseconds));
    }

    /// <summary>Runs once the host has stopped, with the milliseconds left of the shutdown budget.</summary>
    protected abstract Task AfterStopAsync(int timeoutMilliseconds);
}
