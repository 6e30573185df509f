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
        LogValueWriter.WriteTimestamp(logEvent.Timestamp, line.AppendSpan(LogValueWriter.TimestampLength));
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
                LogValueWriter.WriteHole(id.Value, ref line);
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
                LogValueWriter.WriteHole(context.Value, ref line);
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
        // Serilog hands its parsed tokens out as an array typed IEnumerable: indexed as one, no enumerator is
        // allocated for every line.
        var tokens = logEvent.MessageTemplate.Tokens as MessageTemplateToken[] ?? [.. logEvent.MessageTemplate.Tokens];
        foreach (var token in tokens)
        {
            if (token is TextToken text)
            {
                LogValueWriter.Append(ref line, text.Text, escape);
            }
            else if (token is PropertyToken { Alignment: null } property
                && properties.TryGetValue(property.PropertyName, out var value) && value is ScalarValue scalar && LogValueWriter.IsPlain(scalar.Value))
            {
                LogValueWriter.WriteMessageValue(scalar.Value, property.Format, ref line, escape);
            }
            else
            {
                return false;
            }
        }

        return true;
    }

}
