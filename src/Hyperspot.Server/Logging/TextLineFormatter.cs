using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Writes the plain-text line of <see cref="LogFormats"/> (no colours) directly, character for character as its
/// expression template renders it, for the events that make up nearly every line: no exception, and a message whose
/// properties are plain scalars. Any other event (an exception, a structured or missing property, alignment) is
/// handed to the expression template itself, so the output never differs. Writing the common line directly costs a
/// fraction of evaluating the template, which matters for the per-request log line.
/// </summary>
public sealed class TextLineFormatter(ITextFormatter template) : ITextFormatter
{
    private const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffzzz";
    private static readonly string[] Levels = ["VRB", "DBG", "INF", "WRN", "ERR", "FTL"];

    public void Format(LogEvent logEvent, TextWriter output)
    {
        if (!CanWrite(logEvent))
        {
            template.Format(logEvent, output);
            return;
        }

        Span<char> timestamp = stackalloc char[40];
        if (!logEvent.Timestamp.TryFormat(timestamp, out var written, TimestampFormat, CultureInfo.InvariantCulture))
        {
            template.Format(logEvent, output);
            return;
        }

        output.Write(timestamp[..written]);
        output.Write(' ');
        output.Write(Levels[(int)logEvent.Level]);
        output.Write(' ');
        if (logEvent.TraceId is { } traceId)
        {
            output.Write("trace_id=");
            output.Write(traceId.ToHexString());
            output.Write(" span_id=");
            output.Write(logEvent.SpanId?.ToHexString());
            output.Write(' ');
        }

        if (logEvent.Properties.TryGetValue("request_id", out var requestId) && requestId is ScalarValue { Value: not null } id)
        {
            output.Write("request_id=");
            WriteHole(id.Value, output);
            output.Write(' ');
        }

        if (logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: not null } context)
        {
            WriteHole(context.Value, output);
        }

        output.Write(": ");
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is TextToken text)
            {
                output.Write(text.Text);
            }
            else
            {
                var property = (PropertyToken)token;
                WriteMessageValue(((ScalarValue)logEvent.Properties[property.PropertyName]).Value, property.Format, output);
            }
        }

        output.Write('\n');
    }

    /// <summary>True when the event renders without anything the template would treat specially.</summary>
    private static bool CanWrite(LogEvent logEvent)
    {
        if (logEvent.Exception is not null || (int)logEvent.Level is < 0 or > 5 || (logEvent.TraceId is not null && logEvent.SpanId is null))
        {
            return false;
        }

        if (logEvent.Properties.TryGetValue("request_id", out var requestId) && requestId is not ScalarValue)
        {
            return false;
        }

        if (logEvent.Properties.TryGetValue("SourceContext", out var source) && source is not ScalarValue)
        {
            return false;
        }

        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is TextToken)
            {
                continue;
            }

            if (token is not PropertyToken property || property.Alignment is not null
                || !logEvent.Properties.TryGetValue(property.PropertyName, out var value) || value is not ScalarValue scalar
                || !IsPlain(scalar.Value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPlain(object? value) =>
        value is string or int or uint or long or ulong or decimal or byte or sbyte or short or ushort or double or float or bool;

    /// <summary>A template hole (<c>{request_id}</c>, <c>{SourceContext}</c>) holding a non-null scalar.</summary>
    private static void WriteHole(object value, TextWriter output)
    {
        if (value is IFormattable formattable)
        {
            output.Write(formattable.ToString(null, CultureInfo.InvariantCulture));
        }
        else
        {
            output.Write(value.ToString());
        }
    }

    /// <summary>A property inside <c>@m</c>, as the template renders a plain scalar.</summary>
    private static void WriteMessageValue(object? value, string? format, TextWriter output)
    {
        switch (value)
        {
            case null:
                output.Write("null");
                break;
            case string text:
                output.Write(text);
                break;
            case bool flag:
                output.Write(flag);
                break;
            default:
                output.Write(((IFormattable)value).ToString(format, CultureInfo.InvariantCulture));
                break;
        }
    }
}
