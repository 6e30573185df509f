using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Hyperspot.Server.Metrics;

/// <summary>
/// Once the server has stopped taking requests, sends the last interval's measurements and stops the exporter within
/// what is left of <c>server.shutdown_timeout_ms</c>, so that a slow or silent backend cannot hold the exit longer
/// (left to the provider's disposal, the last export would get the whole <c>tracing.exporter.timeout_ms</c>).
/// </summary>
internal sealed class MetricsLifecycle(MeterProvider meterProvider, HyperspotSettings settings, ILogger<MetricsLifecycle> logger) : ShutdownBudgetService(settings.Server)
{
    protected override Task AfterStopAsync(int timeout)
    {
        if (!meterProvider.Shutdown(timeout))
        {
            logger.LogWarning("The last measurements could not be exported within {TimeoutMs} ms at shutdown", timeout);
        }

        return Task.CompletedTask;
    }
}
