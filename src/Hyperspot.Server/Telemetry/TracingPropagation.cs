using System.Diagnostics;
using Hyperspot.Server.Configuration;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// Applies <c>tracing.propagation</c> everywhere context crosses the process boundary: ASP.NET Core's extraction
/// (the propagator in DI) and every HttpClient's injection (<see cref="DistributedContextPropagator.Current"/>), both
/// through <see cref="ConfiguredPropagator"/>, which handles <c>traceparent</c>/<c>tracestate</c> and <c>baggage</c>
/// (as Activity baggage). OpenTelemetry's own default propagator is set to the plain W3C trace-context one whatever
/// the settings: that tells the OpenTelemetry HttpClient instrumentation to leave propagation to the runtime instead
/// of injecting the same headers a second time (a composite propagator would make it do so on every call).
/// </summary>
public static class TracingPropagation
{
    public static DistributedContextPropagator Apply(PropagationSettings settings)
    {
        var propagator = ConfiguredPropagator.For(settings);
        DistributedContextPropagator.Current = propagator;
        Sdk.SetDefaultTextMapPropagator(new TraceContextPropagator());
        return propagator;
    }
}
