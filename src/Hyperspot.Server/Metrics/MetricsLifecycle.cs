using Hyperspot.Server.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Hyperspot.Server.Metrics;

/// <summary>
/// Once the server has stopped taking requests, sends the last interval's measurements and stops the exporter within
/// what is left of <c>server.shutdown_timeout_ms</c>, so that a slow or silent backend cannot hold the exit longer
/// (left to the provider's disposal, the last export would get the whole <c>tracing.exporter.timeout_ms</c>).
/// </summary>
internal sealed class MetricsLifecycle(MeterProvider meterProvider, HyperspotSettings settings, ILogger<MetricsLifecycle> logger) : IHostedLifecycleService
{
    private DateTime _stopRequested = DateTime.MaxValue;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
        var budget = TimeSpan.FromMilliseconds(settings.Server.ShutdownTimeoutMs) - (DateTime.UtcNow - _stopRequested);
        var timeout = (int)Math.Max(500, budget.TotalMilliseconds);
        if (!meterProvider.Shutdown(timeout))
        {
            logger.LogWarning("The last measurements could not be exported within {TimeoutMs} ms at shutdown", timeout);
        }

        return Task.CompletedTask;
    }
}
