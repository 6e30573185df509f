using Hyperspot.Server.Configuration;
using Serilog.Core;
using Serilog.Events;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Masks query values in ASP.NET Core's own request lines (<c>Request starting HTTP/1.1 GET http://host/path?token=…</c>),
/// which carry the query string as their <c>QueryString</c> property and show once <c>-v</c> or a category level lets
/// them through. The value is replaced on the event, so the rendered message, JSON lines and OTLP log records all get
/// <c>?token=Redacted</c>, as the server span's <c>url.query</c> does.
/// </summary>
public sealed class QueryStringRedactionEnricher : ILogEventEnricher
{
    public const string PropertyName = "QueryString";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (logEvent.Properties.TryGetValue(PropertyName, out var value)
            && value is ScalarValue { Value: string query }
            && query.Contains('='))
        {
            logEvent.AddOrUpdateProperty(new LogEventProperty(PropertyName, new ScalarValue(SecretRedactor.RedactQuery(query))));
        }
    }
}
