using System.Diagnostics;
using Hyperspot.Server.Configuration;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// The W3C propagator restricted to what <c>tracing.propagation</c> allows: <c>traceparent</c>/<c>tracestate</c>
/// when <c>w3c_trace_context</c> is on, <c>baggage</c> when <c>baggage</c> is on. Used by ASP.NET Core to extract
/// the caller's context and by every HttpClient of the process to inject it.
/// </summary>
public sealed class ConfiguredPropagator : DistributedContextPropagator
{
    private static readonly string[] TraceContextFields = ["traceparent", "tracestate"];
    private static readonly string[] BaggageFields = ["baggage"];

    private readonly DistributedContextPropagator _w3c = CreateW3CPropagator();
    private readonly bool _traceContext;
    private readonly bool _baggage;

    private ConfiguredPropagator(bool traceContext, bool baggage)
    {
        _traceContext = traceContext;
        _baggage = baggage;
        Fields = [.. traceContext ? TraceContextFields : [], .. baggage ? BaggageFields : []];
    }

    public override IReadOnlyCollection<string> Fields { get; }

    /// <summary>The propagator for <paramref name="settings"/>: the plain W3C one when everything is on.</summary>
    public static DistributedContextPropagator For(PropagationSettings settings) =>
        settings is { W3cTraceContext: true, Baggage: true }
            ? CreateW3CPropagator()
            : new ConfiguredPropagator(settings.W3cTraceContext, settings.Baggage);

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter)
    {
        if (setter is null || (!_traceContext && !_baggage))
        {
            return;
        }

        _w3c.Inject(activity, carrier, (c, name, value) =>
        {
            if (IsAllowed(name))
            {
                setter(c, name, value);
            }
        });
    }

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
    {
        if (_traceContext)
        {
            _w3c.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);
            return;
        }

        traceId = null;
        traceState = null;
    }

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) =>
        _baggage ? _w3c.ExtractBaggage(carrier, getter) : null;

    private bool IsAllowed(string name) =>
        name.Equals("baggage", StringComparison.OrdinalIgnoreCase) ? _baggage : _traceContext;
}
