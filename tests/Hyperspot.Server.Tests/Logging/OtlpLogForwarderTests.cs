using Hyperspot.Server.Logging;
using Hyperspot.Server.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using Serilog;
using Serilog.Events;
using Serilog.Parsing;

namespace Hyperspot.Server.Tests.Logging;

/// <summary>What the OpenTelemetry logger provider receives for an event (the OTLP export itself is tested against the backend).</summary>
public sealed class OtlpLogForwarderTests : IDisposable
{
    private readonly List<LogRecord> _records = [];
    private readonly ServiceProvider _services;
    private readonly Serilog.Core.Logger _logger;

    public OtlpLogForwarderTests()
    {
        _services = new ServiceCollection()
            .AddLogging(logging => logging.AddOpenTelemetry(otlp =>
            {
                otlp.IncludeFormattedMessage = true;
                otlp.AddInMemoryExporter(_records);
            }))
            .BuildServiceProvider();
        _logger = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .Enrich.With<QueryStringRedactionEnricher>()
            .WriteTo.Sink(new OtlpLogForwarder([.. _services.GetServices<ILoggerProvider>()]))
            .CreateLogger();
    }

    public void Dispose()
    {
        _logger.Dispose();
        _services.Dispose();
    }

    [Fact]
    public void The_body_is_the_console_lines_message_with_strings_unquoted_and_the_properties_are_attributes()
    {
        _logger.ForContext("SourceContext", "Hyperspot.Server.Telemetry.TracingLifecycle").Information(
            "OpenTelemetry tracing initialized: exporter {ExporterKind} to {Endpoint}, sampler {Sampler}, service {ServiceName}",
            "otlp_grpc", "http://127.0.0.1:4317/", "always_on", "svc");

        var record = Single();
        Assert.Equal("OpenTelemetry tracing initialized: exporter otlp_grpc to http://127.0.0.1:4317/, sampler always_on, service svc", record.FormattedMessage);
        Assert.Equal("Hyperspot.Server.Telemetry.TracingLifecycle", record.CategoryName);
        Assert.Equal(LogLevel.Information, record.LogLevel);
        var attributes = record.Attributes!.ToDictionary(a => a.Key, a => a.Value);
        Assert.Equal("otlp_grpc", attributes["ExporterKind"]);
        Assert.Equal("http://127.0.0.1:4317/", attributes["Endpoint"]);
        Assert.StartsWith("OpenTelemetry tracing initialized: exporter {ExporterKind}", (string)attributes["{OriginalFormat}"]!);
    }

    [Fact]
    public void The_request_line_body_is_the_same_text_as_the_console_line()
    {
        var properties = new List<LogEventProperty>
        {
            new("RequestMethod", new ScalarValue("GET")), new("RequestPath", new ScalarValue("/examples/v1/users/42")),
            new("StatusCode", new ScalarValue(200)), new("Elapsed", new ScalarValue(3.14159)),
            new("SourceContext", new ScalarValue(RequestOutcomeMiddleware.Category)),
        };
        var logEvent = new LogEvent(DateTimeOffset.Now, LogEventLevel.Information, null, new MessageTemplateParser().Parse(RequestOutcomeMiddleware.Template), properties);
        _logger.Write(logEvent);

        var console = new StringWriter();
        LogFormats.Text(colours: false).Format(logEvent, console);
        var record = Single();
        Assert.Equal("HTTP GET /examples/v1/users/42 responded 200 in 3.1 ms", record.FormattedMessage);
        Assert.EndsWith(": " + record.FormattedMessage + "\n", console.ToString());
    }

    [Fact]
    public void Structured_values_and_masked_query_strings_read_as_on_the_console()
    {
        _logger.ForContext("SourceContext", "Microsoft.AspNetCore.Hosting.Diagnostics").Information(
            "Request starting {Path}{QueryString} for {@Client}", "/healthz", "?token=s3cr3t&page=2", new { Name = "probe", Attempts = 2 });

        var record = Single();
        Assert.Equal("Request starting /healthz?token=Redacted&page=Redacted for {\"Name\":\"probe\",\"Attempts\":2}", record.FormattedMessage);
        Assert.DoesNotContain(record.Attributes!, a => a.Value?.ToString()?.Contains("s3cr3t") == true);
    }

    [Fact]
    public void Exceptions_travel_with_the_record()
    {
        var exception = new InvalidOperationException("boom");
        _logger.ForContext("SourceContext", "Hyperspot.Test").Error(exception, "Module {Module} failed to start", "examples");

        var record = Single();
        Assert.Equal("Module examples failed to start", record.FormattedMessage);
        Assert.Same(exception, record.Exception);
        Assert.Equal(LogLevel.Error, record.LogLevel);
    }

    private LogRecord Single()
    {
        _services.GetService<LoggerProvider>()?.ForceFlush();
        return Assert.Single(_records);
    }
}
