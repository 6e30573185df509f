using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry;
using Hyperspot.Server.Telemetry.Diagnosis;
using Hyperspot.Server.Tests.Support;
using Microsoft.Extensions.Logging;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Tests.Telemetry;

/// <summary>The running server's export warning says the likely cause in the words of <c>check --exporter</c>.</summary>
public sealed class ExportHealthReporterTests
{
    private static readonly ExporterSettings Exporter = new()
    {
        Kind = ExporterKind.OtlpHttp,
        Endpoint = "http://collector:4318",
        Headers = new Dictionary<string, string> { ["x-api-key"] = "k3y-0123456789" },
    };

    private readonly ListLogger<ExportHealthReporterTests> _logger = new();
    private readonly ExportObserver _observer = new();

    private ExportHealthReporter Reporter(TimeSpan interval) => new(_logger, Exporter, new ExportStatistics(), _observer, interval);

    private void Answer(int status, string? body = null, long rejected = 0, string? contentType = null) => _observer.Record(new ExportExchange
    {
        ContentType = contentType,
        Url = Exporter.ExportUri,
        Grpc = false,
        HttpStatus = status,
        Body = body,
        RejectedItems = rejected,
        RejectionMessage = rejected > 0 ? "spans older than 7 days" : null,
    });

    [Fact]
    public void A_refused_key_is_reported_with_the_classifier_words_and_without_the_key()
    {
        var reporter = Reporter(TimeSpan.FromMinutes(1));
        Answer(401, "invalid key k3y-0123456789");
        reporter.OnExportResult(false, 5);

        var warning = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        var words = ExportFailureClassifier.Classify(_observer.Latest!, Exporter, new SecretRedactor(Exporter.Headers.Values, Exporter.Endpoint)).Cause;
        Assert.Contains($"Span export to http://collector:4318/v1/traces failed: {words}", warning.Message);
        Assert.Contains("the credentials were not accepted", warning.Message);
        Assert.DoesNotContain("k3y-0123456789", warning.Message);
    }

    [Fact]
    public void Repeated_failures_warn_once_per_interval_and_recovery_once()
    {
        var reporter = Reporter(TimeSpan.FromMinutes(1));
        for (var i = 0; i < 5; i++)
        {
            Answer(503);
            reporter.OnExportResult(false, 5);
        }

        Answer(200);
        reporter.OnExportResult(true, 5);

        Assert.Collection(
            _logger.Entries,
            w => Assert.Contains("the backend is unavailable", w.Message),
            r => Assert.Contains("recovered after 5 failed batches", r.Message));
    }

    [Fact]
    public void A_partial_success_is_reported_though_the_batch_counts_as_exported()
    {
        var reporter = Reporter(TimeSpan.Zero);
        Answer(200, rejected: 3);
        reporter.OnExportResult(true, 10);

        var warning = Assert.Single(_logger.Entries);
        Assert.Contains("partly failed: partial success: the backend rejected 3 of 10 spans: spans older than 7 days", warning.Message);
    }

    [Fact]
    public void A_web_page_that_the_exporter_took_for_success_is_reported()
    {
        var reporter = Reporter(TimeSpan.Zero);
        Answer(200, contentType: "text/html");
        reporter.OnExportResult(true, 4);

        var warning = Assert.Single(_logger.Entries);
        Assert.Contains("Span export to http://collector:4318/v1/traces failed: the endpoint answered with a web page", warning.Message);
    }

    [Fact]
    public void A_failure_that_never_reached_the_network_is_not_blamed_on_an_earlier_answer()
    {
        var reporter = Reporter(TimeSpan.Zero);
        Answer(401);
        reporter.OnExportResult(false, 1);
        reporter.OnExportResult(false, 1); // no new exchange: the exporter failed before sending

        Assert.Equal(2, _logger.Entries.Count);
        Assert.Contains("credentials", _logger.Entries[0].Message);
        Assert.DoesNotContain("credentials", _logger.Entries[1].Message);
        Assert.Contains("the exporter failed before the backend answered", _logger.Entries[1].Message);
    }
}
