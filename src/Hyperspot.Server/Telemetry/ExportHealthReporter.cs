using Hyperspot.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// Turns export results into log lines a user can act on: one warning naming the endpoint and the reason
/// when export starts failing, then at most one per interval while it keeps failing (with the dropped count),
/// and one line when it recovers. Never logs header values.
/// </summary>
public sealed class ExportHealthReporter(
    ILogger logger,
    string endpoint,
    ExportStatistics statistics,
    IReadOnlyCollection<string> secrets,
    TimeSpan interval)
{
    /// <summary>What to mask in a failure text: the header values and the parts a backend may quote back, longest first.</summary>
    private readonly string[] _quotable = [.. secrets
        .SelectMany(SecretRedactor.QuotableParts)
        .Where(s => s.Length >= 4)
        .Distinct(StringComparer.Ordinal)
        .OrderByDescending(s => s.Length)];

    private readonly object _gate = new();
    private bool _failing;
    private DateTime _lastWarning = DateTime.MinValue;
    private long _failedBatches;

    public void OnExportResult(bool success, int spans)
    {
        lock (_gate)
        {
            if (success)
            {
                if (_failing)
                {
                    _failing = false;
                    logger.LogInformation("Span export to {Endpoint} recovered after {FailedBatches} failed batches; {DroppedSpans} spans dropped so far", endpoint, _failedBatches, statistics.SpansDropped);
                    _failedBatches = 0;
                }

                return;
            }

            _failedBatches++;
            var now = DateTime.UtcNow;
            if (_failing && now - _lastWarning < interval)
            {
                return;
            }

            _failing = true;
            _lastWarning = now;
            logger.LogWarning(
                "Span export to {Endpoint} failed: {Reason}. {DroppedSpans} spans dropped so far; export keeps retrying and this warning repeats at most every {IntervalSeconds} s",
                endpoint,
                Describe(ExporterDiagnostics.Instance.LatestFailure),
                statistics.SpansDropped,
                (int)interval.TotalSeconds);
        }
    }

    private string Describe(string? failure)
    {
        if (failure is null)
        {
            return "the backend did not accept the batch";
        }

        var text = SecretRedactor.RedactUrlCredentials(failure);
        foreach (var secret in _quotable)
        {
            text = text.Replace(secret, SecretRedactor.Mask, StringComparison.Ordinal);
        }

        if (text.Length > 500)
        {
            text = text[..500] + "…";
        }

        var refused = text.Contains("401", StringComparison.Ordinal) || text.Contains("403", StringComparison.Ordinal)
            || text.Contains("Unauthorized", StringComparison.OrdinalIgnoreCase) || text.Contains("Unauthenticated", StringComparison.OrdinalIgnoreCase)
            || text.Contains("PermissionDenied", StringComparison.OrdinalIgnoreCase) || text.Contains("Forbidden", StringComparison.OrdinalIgnoreCase);
        return refused
            ? $"the backend refused the export (401/403 or UNAUTHENTICATED): check the API key in tracing.exporter.headers ({text})"
            : text;
    }
}
