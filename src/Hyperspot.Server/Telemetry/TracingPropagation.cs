using System.Diagnostics;
using Hyperspot.Server.Configuration;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// Applies <c>tracing.propagation</c> everywhere context crosses the process boundary: ASP.NET Core's extraction
/// (the propagator in DI), every HttpClient's injection (<see cref="DistributedContextPropagator.Current"/>), and the
/// OpenTelemetry instrumentations' own propagator, which would otherwise extract and inject on their own.
/// </summary>
public static class TracingPropagation
{
    public static DistributedContextPropagator Apply(PropagationSettings settings)
    {
        var propagator = ConfiguredPropagator.For(settings);
        DistributedContextPropagator.Current = propagator;

        var textMap = new List<TextMapPropagator>();
        if (settings.W3cTraceContext)
        {
            textMap.Add(new TraceContextPropagator());
        }

        if (settings.Baggage)
        {
            textMap.Add(new BaggagePropagator());
        }

        // A lone TraceContextPropagator tells the instrumentations to leave W3C context to the runtime (no double work).
        Sdk.SetDefaultTextMapPropagator(textMap.Count == 1 ? textMap[0] : new CompositeTextMapPropagator(textMap));
        return propagator;
    }
}
