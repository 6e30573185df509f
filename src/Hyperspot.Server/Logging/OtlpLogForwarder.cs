using System.Collections;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Templates;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Hands each event to the OpenTelemetry logger provider, which exports it over OTLP. The record's body is the
/// message as the console and file lines write it (strings without quotes: <c>HTTP GET /path responded 200</c>),
/// rendered from the same event after the enrichers ran, so what they mask is masked in the body too; the values
/// are not escaped, since OTLP carries them exactly. The properties go along as attributes (scalars as their value,
/// structured values as their text) with the message template as <c>{OriginalFormat}</c>.
/// </summary>
public sealed class OtlpLogForwarder(IReadOnlyList<ILoggerProvider> providers) : ILogEventSink
{
    private const string OriginalFormat = "{OriginalFormat}";
    private static readonly ExpressionTemplate Message = new("{@m}");

    private readonly ConcurrentDictionary<string, ILogger[]> _loggers = new(StringComparer.Ordinal);

    public void Emit(LogEvent logEvent)
    {
        var category = logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: string name }
            ? name
            : "None";
        var loggers = _loggers.GetOrAdd(category, c => [.. providers.Select(p => p.CreateLogger(c))]);
        var state = new Values(logEvent);
        var level = LevelConvert.ToExtensionsLevel(logEvent.Level);
        var eventId = EventIdOf(logEvent);
        foreach (var logger in loggers)
        {
            logger.Log(level, eventId, state, logEvent.Exception, static (values, _) => values.Body);
        }
    }

    /// <summary>The message text of a console or file line, before escaping.</summary>
    public static string Body(LogEvent logEvent)
    {
        var line = new LineBuffer(stackalloc char[256]);
        try
        {
            if (TextLineFormatter.TryWriteMessage(logEvent, ref line, escape: false))
            {
                return line.Written.ToString();
            }
        }
        finally
        {
            line.Dispose();
        }

        var writer = new StringWriter();
        Message.Format(logEvent, writer);
        return writer.ToString();
    }

    private static EventId EventIdOf(LogEvent logEvent)
    {
        if (!logEvent.Properties.TryGetValue("EventId", out var value) || value is not StructureValue structure)
        {
            return default;
        }

        var id = 0;
        string? name = null;
        foreach (var property in structure.Properties)
        {
            if (property is { Name: "Id", Value: ScalarValue { Value: int number } })
            {
                id = number;
            }
            else if (property is { Name: "Name", Value: ScalarValue { Value: string text } })
            {
                name = text;
            }
        }

        return new EventId(id, name);
    }

    /// <summary>The event's properties as logger state, and its body rendered once, when the provider asks for it.</summary>
    private sealed class Values(LogEvent logEvent) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private KeyValuePair<string, object?>[]? _items;
        private string? _body;

        public string Body => _body ??= OtlpLogForwarder.Body(logEvent);

        public int Count => logEvent.Properties.Count + 1;

        public KeyValuePair<string, object?> this[int index] => Items[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)Items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Body;

        private KeyValuePair<string, object?>[] Items => _items ??= Build();

        private KeyValuePair<string, object?>[] Build()
        {
            var items = new KeyValuePair<string, object?>[logEvent.Properties.Count + 1];
            var i = 0;
            foreach (var (name, value) in logEvent.Properties)
            {
                items[i++] = new(name, value is ScalarValue scalar ? scalar.Value : value.ToString());
            }

            items[i] = new(OriginalFormat, logEvent.MessageTemplate.Text);
            return items;
        }
    }
}
