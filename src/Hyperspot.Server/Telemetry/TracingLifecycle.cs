using Hyperspot.Server.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// Announces tracing at start-up (one line, never header values) and, once the server has stopped taking
/// requests and every other service has stopped, flushes the spans still queued (and the log records, when
/// <c>logging.otlp</c> sends them to the same backend) within the remaining <c>server.shutdown_timeout_ms</c>,
/// then stops the exporters, before the process exits. When the host is disposed after that, it logs the run's last
/// line: what became of its spans. By then <c>/health</c> is gone, so the log is the only place a loss at shutdown can
/// be read; it comes after the host's own "stopped" line, so it is the last line of a run whatever the levels.
/// </summary>
public sealed class TracingLifecycle(
    TracerProvider tracerProvider,
    HyperspotSettings settings,
    ExportStatistics statistics,
    ILogger<TracingLifecycle> logger,
    LoggerProvider? otlpLogs = null) : ShutdownBudgetService(settings.Server), IDisposable
{
    private int _summaryDue;

    public override Task StartingAsync(CancellationToken cancellationToken)
    {
        var tracing = settings.Tracing;
        logger.LogInformation(
            "OpenTelemetry tracing initialized: exporter {ExporterKind} to {Endpoint}, sampler {Sampler}, service {ServiceName}",
            ConfigNames.NameOf(tracing.Exporter.Kind),
            tracing.Exporter.DisplayEndpoint,
            SamplerFactory.Describe(tracing.Sampler),
            tracing.ServiceName);
        return Task.CompletedTask;
    }

    protected override async Task AfterStopAsync(int timeout)
    {
        // Shutdown, not ForceFlush: it flushes within the budget and then stops the export thread and the exporter, so
        // the providers' disposal right after has nothing left to wait for (each would give a hanging export another
        // 5 s past server.shutdown_timeout_ms). Spans and OTLP log records are flushed side by side.
        var logsStopped = otlpLogs is null ? Task.FromResult(true) : Task.Run(() => otlpLogs.Shutdown(timeout), CancellationToken.None);
        var flushed = tracerProvider.Shutdown(timeout);
        if (!flushed)
        {
            logger.LogWarning(
                "Not every queued span could be exported within {TimeoutMs} ms at shutdown: {LostSpans} spans still queued or being sent were dropped; {DroppedSpans} spans dropped in total",
                timeout,
                statistics.SpansDroppedAtShutdown,
                statistics.SpansDropped);
        }

        await logsStopped;
        Volatile.Write(ref _summaryDue, 1);
    }

    /// <summary>Called when the host's services are disposed, after the host logged that it stopped.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _summaryDue, 0) == 1)
        {
            LogSummary();
        }
    }

    /// <summary>The run's last line: spans exported and dropped, by cause; a warning when any were dropped.</summary>
    private void LogSummary()
    {
        var (queueFull, refused, atShutdown) = (statistics.SpansDroppedQueueFull, statistics.SpansDroppedExportFailed, statistics.SpansDroppedAtShutdown);
        var dropped = queueFull + refused + atShutdown;
        logger.Log(
            dropped > 0 ? LogLevel.Warning : LogLevel.Information,
            "Stopped: {SpansExported} spans exported, {SpansDropped} dropped ({DroppedQueueFull} queue full, {DroppedExportFailed} refused by the backend, {DroppedAtShutdown} at shutdown)",
            statistics.SpansExported,
            dropped,
            queueFull,
            refused,
            atShutdown);
    }
}
