using Hyperspot.Server.Configuration;
using Hyperspot.Server.Redaction;
using Hyperspot.Server.Telemetry;
using Hyperspot.Server.Telemetry.Diagnosis;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Metrics;

/// <summary>
/// Turns metric export results into log lines, like span export: one warning naming the endpoint and the likely
/// cause when export starts failing, then at most one per interval while it keeps failing (with the failure count),
/// and one line when it recovers. Never logs secrets.
/// </summary>
internal sealed class MetricExportReporter(
    ILogger logger,
    ExporterSettings exporter,
    MetricExportStatistics statistics,
    ExportObserver observer,
    TimeSpan interval)
{
    private readonly string _endpoint = SecretRedactor.RedactUri(exporter.ExportUriFor(MetricsRegistration.MetricsPath));
    private readonly SecretRedactor _redactor = new(exporter.Headers.Values, exporter.Endpoint);
    private readonly object _gate = new();
    private bool _failing;
    private DateTime _lastWarning = DateTime.MinValue;
    private long _exchangesSeen;

    public void OnExportResult(bool success, int points)
    {
        lock (_gate)
        {
            var exchange = NewExchange();
            if (success)
            {
                if (_failing)
                {
                    _failing = false;
                    logger.LogInformation("Metric export to {Endpoint} recovered; {ExportFailures} exports failed so far", _endpoint, statistics.ExportFailures);
                }

                return;
            }

            var now = DateTime.UtcNow;
            if (_failing && now - _lastWarning < interval)
            {
                return;
            }

            _failing = true;
            _lastWarning = now;
            var diagnosis = exchange is null
                ? ExportFailureClassifier.WithoutExchange(ExporterDiagnostics.Instance.LatestFailure, _redactor)
                : ExportFailureClassifier.Classify(exchange, exporter, _redactor, "metric points", points);
            logger.LogWarning(
                "Metric export to {Endpoint} failed: {Reason}. {ExportFailures} exports failed so far; export continues every interval and this warning repeats at most every {IntervalSeconds} s",
                _endpoint,
                diagnosis.ToString(),
                statistics.ExportFailures,
                (int)interval.TotalSeconds);
        }
    }

    /// <summary>The exchange of the export just reported, or null when no request reached the network for it.</summary>
    private ExportExchange? NewExchange()
    {
        var count = observer.Count;
        var fresh = count != _exchangesSeen;
        _exchangesSeen = count;
        return fresh ? observer.Latest : null;
    }
}
