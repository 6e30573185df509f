using System.Diagnostics;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry;

namespace Hyperspot.Server.Tests.Telemetry;

/// <summary>
/// The propagator every HttpClient injects with and ASP.NET Core extracts with, for each combination of
/// <c>tracing.propagation.w3c_trace_context</c> and <c>tracing.propagation.baggage</c>: exactly the headers a switch
/// allows are written, and read.
/// </summary>
public sealed class ConfiguredPropagatorTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string CallerSpanId = "b7ad6b7169203331";
    private const string Traceparent = $"00-{TraceId}-{CallerSpanId}-01";

    public static TheoryData<bool, bool> Switches() => new() { { true, true }, { true, false }, { false, true }, { false, false } };

    [Theory]
    [MemberData(nameof(Switches))]
    public void Injection_writes_exactly_the_headers_the_switches_allow(bool traceContext, bool baggage)
    {
        var propagator = ConfiguredPropagator.For(new PropagationSettings { W3cTraceContext = traceContext, Baggage = baggage });
        using var activity = new Activity("outgoing call");
        activity.SetParentId(Traceparent);
        activity.TraceStateString = "vendor=abc";
        activity.AddBaggage("tenant", "acme");
        activity.Start();

        var headers = new Dictionary<string, string>();
        propagator.Inject(activity, headers, (carrier, name, value) => ((Dictionary<string, string>)carrier!)[name] = value!);

        Assert.Equal(Allowed(traceContext, baggage), headers.Keys.Order());
        Assert.Equal(Allowed(traceContext, baggage), propagator.Fields.Order());
        if (traceContext)
        {
            Assert.Equal($"00-{TraceId}-{activity.SpanId}-01", headers["traceparent"]);
            Assert.Equal("vendor=abc", headers["tracestate"]);
        }

        if (baggage)
        {
            Assert.Equal("tenant=acme", headers["baggage"]);
        }
    }

    [Theory]
    [MemberData(nameof(Switches))]
    public void Extraction_reads_exactly_the_headers_the_switches_allow(bool traceContext, bool baggage)
    {
        var propagator = ConfiguredPropagator.For(new PropagationSettings { W3cTraceContext = traceContext, Baggage = baggage });
        var incoming = new Dictionary<string, string>
        {
            ["traceparent"] = Traceparent,
            ["tracestate"] = "vendor=abc",
            ["baggage"] = "tenant=acme",
        };
        DistributedContextPropagator.PropagatorGetterCallback getter = (carrier, name, out value, out values) =>
        {
            values = null;
            value = ((Dictionary<string, string>)carrier!).GetValueOrDefault(name);
        };

        propagator.ExtractTraceIdAndState(incoming, getter, out var traceId, out var traceState);
        var extractedBaggage = propagator.ExtractBaggage(incoming, getter)?.ToList();

        Assert.Equal(traceContext ? Traceparent : null, traceId);
        Assert.Equal(traceContext ? "vendor=abc" : null, traceState);
        Assert.Equal(baggage ? [new KeyValuePair<string, string?>("tenant", "acme")] : null, extractedBaggage);
    }

    private static IEnumerable<string> Allowed(bool traceContext, bool baggage) =>
        new[] { traceContext ? "traceparent" : null, traceContext ? "tracestate" : null, baggage ? "baggage" : null }.OfType<string>().Order();
}
