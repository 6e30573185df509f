using Hyperspot.Server.Configuration;
using Serilog.Core;
using Serilog.Events;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Masks secrets in the values of every log event, before any sink (console, file, OTLP log records) renders them:
/// <list type="bullet">
/// <item>the <c>QueryString</c> of ASP.NET Core's own request lines (<c>Request starting HTTP/1.1 GET
/// http://host/path?token=…</c>, shown once <c>-v</c> or a category level lets them through) as the server span's
/// <c>url.query</c>: every value, and every parameter without one, becomes <c>Redacted</c>;</item>
/// <item>their <c>Path</c> and the request line's <c>RequestPath</c> as the span's <c>url.path</c>
/// (<see cref="SecretRedactor.RedactPath"/>): the values of <c>;</c> parameters become <c>Redacted</c>;</item>
/// <item>every other text value (nested ones too), as <see cref="SecretRedactor.RedactText"/> does: the secrets of
/// URLs in it, and header lines that name a secret, as Kestrel quotes a request it refused.</item>
/// </list>
/// A value is replaced on the event, so the rendered message and the properties carry the masked text alike.
/// </summary>
public sealed class QueryStringRedactionEnricher : ILogEventEnricher
{
    public const string PropertyName = "QueryString";

    private static readonly string[] PathProperties = ["Path", "RequestPath"];

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? changed = null;
        if (logEvent.Properties is Dictionary<string, LogEventPropertyValue> properties)
        {
            // Enumerated as the dictionary it is: no enumerator allocated on the path of every log line.
            foreach (var (name, value) in properties)
            {
                Collect(name, value, ref changed);
            }
        }
        else
        {
            foreach (var (name, value) in logEvent.Properties)
            {
                Collect(name, value, ref changed);
            }
        }

        if (changed is not null)
        {
            foreach (var property in changed)
            {
                logEvent.AddOrUpdateProperty(property);
            }
        }
    }

    private static void Collect(string name, LogEventPropertyValue value, ref List<LogEventProperty>? changed)
    {
        if (name != Constants.SourceContextPropertyName && Redact(name, value) is { } redacted)
        {
            (changed ??= []).Add(new LogEventProperty(name, redacted));
        }
    }

    /// <summary>
    /// The value with its secrets masked, or null when it has none. The containers are redacted by methods of their
    /// own: a lambda here capturing the value would make the compiler allocate its closure on every call, scalars
    /// (nearly every call, several per log line) included.
    /// </summary>
    private static LogEventPropertyValue? Redact(string name, LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } => Scalar(text, RedactString(name, text)),
        ScalarValue { Value: Uri uri } => Scalar(uri.OriginalString, SecretRedactor.RedactText(uri.OriginalString)),
        SequenceValue sequence => Rebuild(sequence.Elements, static e => Redact("", e) ?? e, static elements => new SequenceValue(elements)),
        StructureValue structure => RedactStructure(structure),
        DictionaryValue dictionary => Rebuild(
            [.. dictionary.Elements],
            static e => Redact("", e.Value) is { } v ? new KeyValuePair<ScalarValue, LogEventPropertyValue>(e.Key, v) : e,
            static elements => new DictionaryValue(elements)),
        _ => null,
    };

    private static StructureValue? RedactStructure(StructureValue structure) => Rebuild(
        structure.Properties,
        static p => Redact(p.Name, p.Value) is { } v ? new LogEventProperty(p.Name, v) : p,
        properties => new StructureValue(properties, structure.TypeTag));

    private static string RedactString(string name, string text) =>
        name == PropertyName ? (text.Length == 0 ? text : SecretRedactor.RedactQuery(text))
        : PathProperties.Contains(name) ? SecretRedactor.RedactPath(text)
        : SecretRedactor.RedactText(text);

    private static ScalarValue? Scalar(string original, string redacted) =>
        ReferenceEquals(original, redacted) || original == redacted ? null : new ScalarValue(redacted);

    /// <summary>A new container when <paramref name="redact"/> changed any element, else null.</summary>
    private static TValue? Rebuild<T, TValue>(IReadOnlyList<T> items, Func<T, T> redact, Func<IEnumerable<T>, TValue> create)
        where TValue : class
    {
        T[]? result = null;
        for (var i = 0; i < items.Count; i++)
        {
            var redacted = redact(items[i]);
            if (result is null && !EqualityComparer<T>.Default.Equals(redacted, items[i]))
            {
                result = [.. items];
            }

            if (result is not null)
            {
                result[i] = redacted;
            }
        }

        return result is null ? null : create(result);
    }
}
