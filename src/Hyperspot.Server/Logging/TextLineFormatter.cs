using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Writes the plain-text line of <see cref="LogFormats"/> (no colours) directly, character for character as its
/// expression template renders the <see cref="EscapedLogEvent"/> copy of the event, for the events that make up
/// nearly every line: a message whose properties are plain scalars, with or without an exception. Every value is
/// escaped on the way (<see cref="LogText"/>), after one scan that finds nothing to escape in almost every value.
/// Any other event (a structured or missing property, alignment) is escaped into a copy and handed to the expression
/// template itself, so the output never differs. Writing the common line directly costs a fraction of evaluating the
/// template, which matters for the per-request log line.
/// </summary>
public sealed class TextLineFormatter(ITextFormatter template) : ITextFormatter
{
    /// <summary>The length of <c>yyyy-MM-ddTHH:mm:ss.fffzzz</c>, e.g. <c>2026-11-26T08:08:31.054+00:00</c>.</summary>
    private const int TimestampLength = 29;
    private static readonly string[] Levels = ["VRB", "DBG", "INF", "WRN", "ERR", "FTL"];

    public void Format(LogEvent logEvent, TextWriter output)
    {
        var line = new LineBuffer(stackalloc char[512]);
        try
        {
            if (TryWrite(logEvent, ref line))
            {
                output.Write(line.Written);
            }
            else
            {
                template.Format(EscapedLogEvent.For(logEvent), output);
            }
        }
        finally
        {
            line.Dispose();
        }
    }

    /// <summary>
    /// Writes the line into <paramref name="line"/> in one pass; false (the line is then discarded) as soon as the event
    /// has anything the template would treat specially: a non-scalar or missing property, alignment.
    /// </summary>
    private static bool TryWrite(LogEvent logEvent, ref LineBuffer line)
    {
        if ((int)logEvent.Level is < 0 or > 5 || (logEvent.TraceId is not null && logEvent.SpanId is null))
        {
            return false;
        }

        var properties = logEvent.Properties;
        WriteTimestamp(logEvent.Timestamp, line.AppendSpan(TimestampLength));
        line.Append(' ');
        line.Append(Levels[(int)logEvent.Level]);
        line.Append(' ');
        if (logEvent.TraceId is { } traceId)
        {
            line.Append("trace_id=");
            line.Append(traceId.ToHexString());
            line.Append(" span_id=");
            line.Append(logEvent.SpanId!.Value.ToHexString());
            line.Append(' ');
        }

        if (properties.TryGetValue(Hyperspot.Modules.ModuleKit.RequestIdField.Name, out var requestId))
        {
            if (requestId is not ScalarValue id)
            {
                return false;
            }

            if (id.Value is not null)
            {
                line.Append("request_id=");
                WriteHole(id.Value, ref line);
                line.Append(' ');
            }
        }

        if (properties.TryGetValue("SourceContext", out var source))
        {
            if (source is not ScalarValue context)
            {
                return false;
            }

            if (context.Value is not null)
            {
                WriteHole(context.Value, ref line);
            }
        }

        line.Append(": ");
        if (!TryWriteMessage(logEvent, ref line, escape: true))
        {
            return false;
        }

        line.Append('\n');
        if (logEvent.Exception is { } exception)
        {
            line.Append(LogText.ExceptionLines(exception));
        }

        return true;
    }

    /// <summary>
    /// The message (<c>@m</c>) as the template renders it, strings without quotes, escaped or not; false when a
    /// property is not a plain scalar, is missing or is aligned (the template's own rendering is needed then).
    /// </summary>
    internal static bool TryWriteMessage(LogEvent logEvent, ref LineBuffer line, bool escape)
    {
        var properties = logEvent.Properties;
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is TextToken text)
            {
                Append(ref line, text.Text, escape);
            }
            else if (token is PropertyToken { Alignment: null } property
                && properties.TryGetValue(property.PropertyName, out var value) && value is ScalarValue scalar && IsPlain(scalar.Value))
            {
                WriteMessageValue(scalar.Value, property.Format, ref line, escape);
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static void Append(ref LineBuffer line, string text, bool escape)
    {
        if (escape)
        {
            LogText.AppendEscaped(ref line, text);
        }
        else
        {
            line.Append(text);
        }
    }

    /// <summary>
    /// The timestamp as the template's <c>yyyy-MM-ddTHH:mm:ss.fffzzz</c> renders it (milliseconds truncated, the offset
    /// as <c>+hh:mm</c>), written digit by digit: the general custom-format path was a visible share of the line.
    /// </summary>
    public static void WriteTimestamp(DateTimeOffset timestamp, Span<char> destination)
    {
        var local = timestamp.DateTime;
        Digits(destination[..4], local.Year);
        destination[4] = '-';
        Digits(destination.Slice(5, 2), local.Month);
        destination[7] = '-';
        Digits(destination.Slice(8, 2), local.Day);
        destination[10] = 'T';
        Digits(destination.Slice(11, 2), local.Hour);
        destination[13] = ':';
        Digits(destination.Slice(14, 2), local.Minute);
        destination[16] = ':';
        Digits(destination.Slice(17, 2), local.Second);
        destination[19] = '.';
        Digits(destination.Slice(20, 3), (int)(local.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMillisecond));
        var offsetMinutes = (int)(timestamp.Offset.Ticks / TimeSpan.TicksPerMinute);
        destination[23] = offsetMinutes < 0 ? '-' : '+';
        offsetMinutes = Math.Abs(offsetMinutes);
        Digits(destination.Slice(24, 2), offsetMinutes / 60);
        destination[26] = ':';
        Digits(destination.Slice(27, 2), offsetMinutes % 60);
    }

    private static void Digits(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    private static bool IsPlain(object? value) =>
        value is string or int or uint or long or ulong or decimal or byte or sbyte or short or ushort or double or float or bool;

    /// <summary>A template hole (<c>{request_id}</c>, <c>{SourceContext}</c>) holding a non-null scalar, escaped.</summary>
    private static void WriteHole(object value, ref LineBuffer line)
    {
        switch (value)
        {
            case string text:
                LogText.AppendEscaped(ref line, text);
                break;
            case int or long or Guid:
                line.AppendFormatted((ISpanFormattable)value, null);
                break;
            case IFormattable formattable:
                LogText.AppendEscaped(ref line, formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                LogText.AppendEscaped(ref line, value.ToString());
                break;
        }
    }

    /// <summary>A property inside <c>@m</c>, as the template renders a plain scalar.</summary>
    private static void WriteMessageValue(object? value, string? format, ref LineBuffer line, bool escape)
    {
        switch (value)
        {
            case null:
                line.Append("null");
                break;
            case string text:
                Append(ref line, text, escape);
                break;
            case bool flag:
                line.Append(flag ? bool.TrueString : bool.FalseString);
                break;
            case double number when format == "0.0" && TryWriteTenths(number, ref line):
                break;
            default:
                line.AppendFormatted((ISpanFormattable)value, format);
                break;
        }
    }

    /// <summary>
    /// <c>0.0</c> for the common case, a non-negative duration in milliseconds below 10^7: rounded half away from zero
    /// to tenths as the general formatter does. A value within a hair of a rounding boundary, where the general
    /// formatter's 15-digit intermediate could decide differently, is left to it (returns false).
    /// </summary>
    internal static bool TryWriteTenths(double value, ref LineBuffer line)
    {
        if (!(value >= 0 && value < 1e7) || double.IsNegative(value))
        {
            return false;
        }

        var scaled = value * 10;
        var whole = Math.Floor(scaled);
        var fraction = scaled - whole;
        if (Math.Abs(fraction - 0.5) < 1e-6)
        {
            return false;
        }

        var tenths = (long)whole + (fraction > 0.5 ? 1 : 0);
        line.AppendFormatted(tenths / 10, null);
        line.Append('.');
        line.Append((char)('0' + (tenths % 10)));
        return true;
    }
}
