using System.Diagnostics;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry.Diagnosis;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;

namespace Hyperspot.Server.Telemetry.ExporterCheck;

/// <summary>
/// The test log record, sent when <c>logging.otlp.enabled</c> sends log records over OTLP: one Information record in
/// the test span's trace, under the configured service name, through the configured log exporter.
/// </summary>
public sealed class LogRecordProbe : SignalProbe
{
    public const string Category = "Hyperspot.ExporterCheck";

    public override string Step => "logs";

    public override string Items => "log records";

    public override string SignalPath => "/v1/logs";

    public override async Task<SignalResult> SendAsync(TracingSettings tracing, ActivityContext testSpan, Func<TimeSpan> left)
    {
        var observer = new ExportObserver();
        var processor = new ProbeExportProcessor<LogRecord>(
            new OpenTelemetry.Exporter.OtlpLogExporter(OtlpExporterFactory.CreateOptions(tracing.Exporter, SignalPath, observer)));
        var factory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Information)
            .AddOpenTelemetry(otlp =>
            {
                otlp.IncludeFormattedMessage = true;
                otlp.SetResourceBuilder(TracingResource.Create(tracing));
                otlp.AddProcessor(processor);
            }));
        var logger = factory.CreateLogger(Category);

        void Send()
        {
            // The record carries the test span's trace id, so it is listed with that trace.
            using var context = new Activity(SpanProbe.SpanName);
            if (testSpan.TraceId != default)
            {
                context.SetParentId(testSpan.TraceId, testSpan.SpanId, ActivityTraceFlags.Recorded);
            }

            context.Start();
            logger.LogInformation("Exporter check: a test log record from {ServiceName}", tracing.ServiceName);
        }

        var result = await RunAsync(Send, processor, observer, left).ConfigureAwait(false);
        if (result.Finished)
        {
            factory.Dispose();
        }

        return result;
    }
}
