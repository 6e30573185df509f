using System.Globalization;
using Serilog.Events;
using Serilog.Parsing;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Logging;

/// <summary>
/// A copy of an event whose every text is escaped as <see cref="LogText"/> says, for the expression template (the
/// coloured console line and the plain lines <see cref="TextLineFormatter"/> does not write itself), which writes
/// values as they are: the message template's text, every property value at any depth (strings, and any other
/// scalar whose text holds a control character), structure and dictionary keys, and the exception, whose text
/// becomes <see cref="LogText.ExceptionLines"/>. An event with nothing to escape and no exception is returned as it is.
/// </summary>
public static class EscapedLogEvent
{
    public static LogEvent For(LogEvent logEvent)
    {
        var template = Escape(logEvent.MessageTemplate);
        Dictionary<string, LogEventPropertyValue>? properties = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var escaped = Escape(value);
            if (!ReferenceEquals(escaped, value))
            {
                properties ??= new Dictionary<string, LogEventPropertyValue>(logEvent.Properties);
                properties[name] = escaped;
            }
        }

        if (ReferenceEquals(template, logEvent.MessageTemplate) && properties is null && logEvent.Exception is null)
        {
            return logEvent;
        }

        return LogEvent.UnstableAssembleFromParts(
            logEvent.Timestamp,
            logEvent.Level,
            logEvent.Exception is { } exception ? new RenderedException(exception) : null,
            template,
            properties ?? new Dictionary<string, LogEventPropertyValue>(logEvent.Properties),
            logEvent.TraceId ?? default,
            logEvent.SpanId ?? default);
    }

    private static MessageTemplate Escape(MessageTemplate template)
    {
        if (!ControlCharacters.NeedsEscaping(template.Text))
        {
            return template;
        }

        var tokens = template.Tokens.Select(token => token switch
        {
            TextToken text => new TextToken(ControlCharacters.Escape(text.Text)),
            PropertyToken property when ControlCharacters.NeedsEscaping(property.ToString()) => new PropertyToken(
                property.PropertyName,
                ControlCharacters.Escape(property.ToString()),
                property.Format is { } format ? ControlCharacters.Escape(format) : null,
                property.Alignment,
                property.Destructuring),
            _ => token,
        });
        return new MessageTemplate(ControlCharacters.Escape(template.Text), tokens);
    }

    /// <summary>The value with every text in it escaped; the same instance when nothing needed it.</summary>
    public static LogEventPropertyValue Escape(LogEventPropertyValue value) => value switch
    {
        ScalarValue scalar => Escape(scalar),
        SequenceValue sequence => EscapeAll(sequence.Elements) is { } elements ? new SequenceValue(elements) : sequence,
        StructureValue structure => Escape(structure),
        DictionaryValue dictionary => Escape(dictionary),
        _ => value,
    };

    private static ScalarValue Escape(ScalarValue scalar)
    {
        switch (scalar.Value)
        {
            case null or bool or int or uint or long or ulong or short or ushort or byte or sbyte or decimal or double or float
                or DateTime or DateTimeOffset or TimeSpan or Guid or Enum:
                return scalar;
            case string text:
                var escaped = ControlCharacters.Escape(text);
                return ReferenceEquals(escaped, text) ? scalar : new ScalarValue(escaped);
            default:
                // Any other type is written through its text (IFormattable or ToString), which may hold anything.
                var rendered = scalar.Value is IFormattable formattable
                    ? formattable.ToString(null, CultureInfo.InvariantCulture)
                    : scalar.Value.ToString() ?? "";
                return ControlCharacters.NeedsEscaping(rendered) ? new ScalarValue(ControlCharacters.Escape(rendered)) : scalar;
        }
    }

    private static StructureValue Escape(StructureValue structure)
    {
        var changed = structure.TypeTag is { } tag && ControlCharacters.NeedsEscaping(tag);
        var properties = new LogEventProperty[structure.Properties.Count];
        for (var i = 0; i < properties.Length; i++)
        {
            var property = structure.Properties[i];
            var value = Escape(property.Value);
            var name = ControlCharacters.Escape(property.Name);
            changed |= !ReferenceEquals(value, property.Value) || !ReferenceEquals(name, property.Name);
            properties[i] = ReferenceEquals(name, property.Name) && ReferenceEquals(value, property.Value)
                ? property
                : new LogEventProperty(name, value);
        }

        return changed ? new StructureValue(properties, structure.TypeTag is { } typeTag ? ControlCharacters.Escape(typeTag) : null) : structure;
    }

    private static DictionaryValue Escape(DictionaryValue dictionary)
    {
        var changed = false;
        var elements = new List<KeyValuePair<ScalarValue, LogEventPropertyValue>>(dictionary.Elements.Count);
        foreach (var (key, value) in dictionary.Elements)
        {
            var escapedKey = Escape(key);
            var escapedValue = Escape(value);
            changed |= !ReferenceEquals(escapedKey, key) || !ReferenceEquals(escapedValue, value);
            elements.Add(new(escapedKey, escapedValue));
        }

        return changed ? new DictionaryValue(elements) : dictionary;
    }

    private static LogEventPropertyValue[]? EscapeAll(IReadOnlyList<LogEventPropertyValue> values)
    {
        LogEventPropertyValue[]? escaped = null;
        for (var i = 0; i < values.Count; i++)
        {
            var value = Escape(values[i]);
            if (!ReferenceEquals(value, values[i]))
            {
                escaped ??= [.. values];
                escaped[i] = value;
            }
        }

        return escaped;
    }

    /// <summary>Stands for an exception in the copy: its text is the escaped, indented <see cref="LogText.ExceptionLines"/>.</summary>
    private sealed class RenderedException(Exception original) : Exception(original.Message)
    {
        private readonly string _lines = LogText.ExceptionLines(original);

        public override string ToString() => _lines;
    }
}
