using System.Diagnostics;
using Hyperspot.Server.Logging;
using Hyperspot.Server.Pipeline;
using Serilog.Events;
using Serilog.Parsing;
using Serilog.Templates;

namespace Hyperspot.Server.Tests.Logging;

/// <summary>
/// The direct text writer must render every event exactly as the expression template renders its escaped copy
/// (<see cref="EscapedLogEvent"/>): these events cover the shapes it writes itself and the ones it hands over to the
/// template.
/// </summary>
public class TextLineFormatterTests
{
    private const string Template = LogFormats.TextTemplate;

    private static readonly DateTimeOffset[] Timestamps =
    [
        new(2026, 11, 26, 8, 8, 31, 54, TimeSpan.Zero),
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(5.5)).AddTicks(9_999_999),
        new(1999, 12, 31, 23, 59, 59, 999, TimeSpan.FromHours(-8)),
        new(12, 3, 4, 5, 6, 7, 8, TimeSpan.FromMinutes(-45)),
        new(9999, 12, 31, 0, 0, 0, 0, TimeSpan.FromHours(14)),
    ];

    public static TheoryData<string> Shapes() =>
    [
        "plain", "with-trace", "with-request-id", "int-and-double", "double-format", "bool-and-null", "no-source",
        "exception", "structured", "missing-property", "aligned", "debug-level", "fatal-level", "non-scalar-request-id",
        "request-line", "hostile-values", "hostile-exception", "hostile-structured",
    ];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Writes_the_same_line_as_the_template(string shape)
    {
        var template = new ExpressionTemplate(Template);
        var direct = new TextLineFormatter(template);
        foreach (var timestamp in Timestamps)
        {
            var logEvent = Event(shape, timestamp);
            Assert.Equal(Render(template, EscapedLogEvent.For(logEvent)), Render(direct, logEvent));
        }
    }

    [Fact]
    public void Writes_timestamps_digit_for_digit()
    {
        Span<char> buffer = stackalloc char[29];
        LogValueWriter.WriteTimestamp(new DateTimeOffset(2026, 11, 26, 8, 8, 31, 54, TimeSpan.FromMinutes(-570)).AddTicks(9_999), buffer);
        Assert.Equal("2026-11-26T08:08:31.054-09:30", buffer.ToString());
    }

    [Fact]
    public void Writes_request_durations_as_the_template_does()
    {
        var template = new ExpressionTemplate(Template);
        var direct = new TextLineFormatter(template);
        var random = new Random(20261126);
        var values = new List<double> { 0, -0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.95, 1.05, 2.675, 9.95, 99.95, 12.345, 1e7 - 0.05, 1e7, 1e9, -1.25, double.NaN, double.PositiveInfinity, double.Epsilon };
        for (var i = 0; i < 20_000; i++)
        {
            values.Add(random.NextDouble() * Math.Pow(10, random.Next(-3, 7)));
            values.Add(Math.Round(random.NextDouble() * 1000, 2));
        }

        var parsed = new MessageTemplateParser().Parse("in {Elapsed:0.0} ms");
        var timestamp = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
        foreach (var value in values)
        {
            var logEvent = new LogEvent(timestamp, LogEventLevel.Information, null, parsed, [new LogEventProperty("Elapsed", new ScalarValue(value))]);
            Assert.Equal(Render(template, logEvent), Render(direct, logEvent));
        }
    }

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception thrown)
        {
            return thrown;
        }
    }

    private static string Render(Serilog.Formatting.ITextFormatter formatter, LogEvent logEvent)
    {
        var writer = new StringWriter();
        formatter.Format(logEvent, writer);
        return writer.ToString();
    }

    private static LogEvent Event(string shape, DateTimeOffset timestamp)
    {
        var level = shape switch { "debug-level" => LogEventLevel.Debug, "fatal-level" => LogEventLevel.Fatal, _ => LogEventLevel.Information };
        var text = "Started {Name} on port {Port}";
        var properties = new List<LogEventProperty> { new("Name", new ScalarValue("hyperspot")), new("Port", new ScalarValue(8087)) };
        if (shape != "no-source")
        {
            properties.Add(new("SourceContext", new ScalarValue("Hyperspot.Server.Example")));
        }

        Exception? exception = null;
        ActivityTraceId traceId = default;
        ActivitySpanId spanId = default;
        switch (shape)
        {
            case "with-trace":
                traceId = ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c");
                spanId = ActivitySpanId.CreateFromString("b7ad6b7169203331");
                break;
            case "with-request-id":
                properties.Add(new("request_id", new ScalarValue("req-42")));
                break;
            case "non-scalar-request-id":
                properties.Add(new("request_id", new SequenceValue([new ScalarValue(1)])));
                break;
            case "int-and-double":
                text = "Took {Count} items in {Seconds} s";
                properties.AddRange([new("Count", new ScalarValue(3L)), new("Seconds", new ScalarValue(0.125))]);
                break;
            case "double-format":
                text = "in {Elapsed:0.0} ms";
                properties.Add(new("Elapsed", new ScalarValue(12.345)));
                break;
            case "bool-and-null":
                text = "{Flag} and {Nothing}";
                properties.AddRange([new("Flag", new ScalarValue(true)), new("Nothing", new ScalarValue(null))]);
                break;
            case "exception":
                exception = new InvalidOperationException("boom");
                break;
            case "hostile-values":
                text = "Path {Path}\r\n{Count}\u001b[2J";
                properties.AddRange([new("Path", new ScalarValue("/x\r\n2026-01-01T00:00:00.000+00:00 ERR forged\u001b[31m\u0085\u2028\\")), new("Count", new ScalarValue(3))]);
                properties.Add(new("request_id", new ScalarValue("id\nforged")));
                properties[2] = new("SourceContext", new ScalarValue("Category\u009b31m"));
                break;
            case "hostile-exception":
                exception = Thrown(new InvalidOperationException("boom\n2026-01-01T00:00:00.000+00:00 ERR forged\u001b]0;title\u0007", new IOException("inner\r\nline")));
                break;
            case "hostile-structured":
                text = "Got {Items} and {@Payload} and {Other}";
                properties.AddRange([
                    new("Items", new SequenceValue([new ScalarValue("a\nb"), new ScalarValue(1)])),
                    new("Payload", new StructureValue([new LogEventProperty("Id", new ScalarValue("x\u001by"))], "Type\u0085")),
                    new("Other", new ScalarValue(new Uri("http://example.test/a%0Ab"))),
                ]);
                break;
            case "structured":
                text = "Got {@Payload}";
                properties.Add(new("Payload", new StructureValue([new LogEventProperty("Id", new ScalarValue(7))])));
                break;
            case "missing-property":
                text = "Missing {Absent}";
                break;
            case "aligned":
                text = "Aligned {Name,12}|";
                break;
            case "request-line":
                text = RequestOutcomeMiddleware.Template;
                traceId = ActivityTraceId.CreateRandom();
                spanId = ActivitySpanId.CreateRandom();
                properties.AddRange([
                    new("RequestMethod", new ScalarValue("GET")), new("RequestPath", new ScalarValue("/examples/v1/users/42")),
                    new("StatusCode", new ScalarValue(200)), new("Elapsed", new ScalarValue(3.14159)),
                    new("request_id", new ScalarValue("01a216e6244e7ae2a960dec21e2f0720")),
                ]);
                break;
        }

        return new LogEvent(timestamp, level, exception, new MessageTemplateParser().Parse(text), properties, traceId, spanId);
    }
}
