using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry.Diagnosis;
using Microsoft.Extensions.Logging;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// Turns export results into log lines a user can act on: one warning naming the endpoint and the likely cause (the
/// words of <c>check --exporter</c>, from <see cref="ExportFailureClassifier"/>) when export starts failing, then at
/// most one per interval while it keeps failing (with the dropped count), and one line when it recovers. A backend
/// that accepts a batch but rejects some of its spans is reported the same way. Never logs secrets.
/// </summary>
public sealed class ExportHealthReporter(
    ILogger logger,
    ExporterSettings exporter,
    ExportStatistics statistics,
    ExportObserver observer,
    TimeSpan interval)
{
    private readonly string _endpoint = SecretRedactor.RedactUri(exporter.ExportUri);
    private readonly SecretRedactor _redactor = new(exporter.Headers.Values, exporter.Endpoint);
    private readonly object _gate = new();
    private bool _failing;
    private DateTime _lastWarning = DateTime.MinValue;
    private long _failedBatches;
    private long _exchangesSeen;

    public void OnExportResult(bool success, int spans)
    {
        lock (_gate)
        {
            var exchange = NewExchange();
            if (success)
            {
                // The exporter counts these as delivered; the answer says otherwise, for some spans or all of them.
                if (exchange is not null && Classify(exchange, spans) is { Problem: ExportProblem.PartlyRejected or ExportProblem.NotOtlp } doubt && MayWarn())
                {
                    logger.LogWarning(
                        "Span export to {Endpoint} {Outcome}: {Reason}",
                        _endpoint,
                        doubt.Problem == ExportProblem.PartlyRejected ? "partly failed" : "failed",
                        doubt.ToString());
                }

                if (_failing)
                {
                    _failing = false;
                    logger.LogInformation("Span export to {Endpoint} recovered after {FailedBatches} failed batches; {DroppedSpans} spans dropped so far", _endpoint, _failedBatches, statistics.SpansDropped);
                    _failedBatches = 0;
                }

                return;
            }

            _failedBatches++;
            if (_failing && !MayWarn())
            {
                return;
            }

            _failing = true;
            _lastWarning = DateTime.UtcNow;
            var diagnosis = exchange is null
                ? ExportFailureClassifier.WithoutExchange(ExporterDiagnostics.Instance.LatestFailure, _redactor)
                : Classify(exchange, spans);
            logger.LogWarning(
                "Span export to {Endpoint} failed: {Reason}. {DroppedSpans} spans dropped so far; export keeps retrying and this warning repeats at most every {IntervalSeconds} s",
                _endpoint,
                diagnosis.ToString(),
                statistics.SpansDropped,
                (int)interval.TotalSeconds);
        }
    }

    private ExportDiagnosis Classify(ExportExchange exchange, int spans) =>
        ExportFailureClassifier.Classify(exchange, exporter, _redactor, "spans", spans);

    /// <summary>The exchange of the batch just reported, or null when no request reached the network for it.</summary>
    private ExportExchange? NewExchange()
    {
        var count = observer.Count;
        var fresh = count != _exchangesSeen;
        _exchangesSeen = count;
        return fresh ? observer.Latest : null;
    }

    private bool MayWarn()
    {
        var now = DateTime.UtcNow;
        if (now - _lastWarning < interval)
        {
            return false;
        }

        _lastWarning = now;
        return true;
    }
}
