using Serilog.Core;
using Serilog.Events;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Puts the current request's id on every log event written while the request runs (<c>request_id</c>). The id is
/// held as a ready-made property in one async-local slot set by the request id middleware, so enriching an event
/// is a read and a dictionary insert, without a context stack to walk.
/// </summary>
public sealed class RequestIdEnricher : ILogEventEnricher
{
    private static readonly AsyncLocal<LogEventProperty?> Current = new();

    /// <summary>Makes <paramref name="property"/> the request id of the code that runs from here on (in this async flow).</summary>
    public static void Set(LogEventProperty property) => Current.Value = property;

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (Current.Value is { } property)
        {
            logEvent.AddPropertyIfAbsent(property);
        }
    }
}
