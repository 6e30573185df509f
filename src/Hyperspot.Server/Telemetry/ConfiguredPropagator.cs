using System.Diagnostics;
using System.Net;
using Hyperspot.Server.Configuration;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// The W3C propagator restricted to what <c>tracing.propagation</c> allows: <c>traceparent</c>/<c>tracestate</c>
/// when <c>w3c_trace_context</c> is on, <c>baggage</c> when <c>baggage</c> is on. Used by ASP.NET Core to extract
/// the caller's context and by every HttpClient of the process to inject it. The outgoing <c>baggage</c> header is
/// written in the compact form OpenTelemetry uses (<c>k1=v1,k2=v2</c>, keys as the tokens they are, values
/// percent-encoded, at most 180 members and about 8 KB) from the current Activity's baggage.
/// </summary>
public sealed class ConfiguredPropagator : DistributedContextPropagator
{
    private static readonly string[] TraceContextFields = ["traceparent", "tracestate"];
    private static readonly string[] BaggageFields = ["baggage"];
    private const string BaggageHeader = "baggage";
    private const string TraceParentHeader = "traceparent";
    private const byte SampledFlag = 0x01;
    private const byte RandomFlag = 0x02;

    private static readonly OpenTelemetry.Context.Propagation.TraceContextPropagator TraceContextRules = new();

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

    /// <summary>The propagator for <paramref name="settings"/>.</summary>
    public static DistributedContextPropagator For(PropagationSettings settings) =>
        new ConfiguredPropagator(settings.W3cTraceContext, settings.Baggage);

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter)
    {
        if (setter is null || activity is null)
        {
            return;
        }

        if (_traceContext)
        {
            _w3c.Inject(activity, carrier, (c, name, value) =>
            {
                if (name.Equals(TraceParentHeader, StringComparison.OrdinalIgnoreCase) && value is not null)
                {
                    setter(c, name, WithW3CFlags(value, activity));
                }
            });

            // The tracestate as received and validated (the runtime would cut long ones short).
            if (!string.IsNullOrEmpty(activity.TraceStateString))
            {
                setter(carrier, "tracestate", activity.TraceStateString);
            }
        }

        if (_baggage && W3CBaggageHeader.Write(activity) is { } baggage)
        {
            setter(carrier, BaggageHeader, baggage);
        }
    }

    /// <summary>
    /// The traceparent with the trace flags W3C Trace Context asks for. The runtime writes the Activity's flags as
    /// they are: unknown bits a caller sent go on when the request is not recorded (Level 1: they MUST be zero), and
    /// the caller's <c>random</c> flag (0x02) is lost when it is (Level 2: it MUST be kept for that trace id). So the
    /// flags are the sampled bit plus the random bit of the remote parent that started this trace in the process.
    /// </summary>
    private static string WithW3CFlags(string traceparent, Activity activity)
    {
        if (traceparent.Length != 55 || !byte.TryParse(traceparent.AsSpan(53), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var written))
        {
            return traceparent;
        }

        var flags = (byte)((written & SampledFlag) | (RemoteParentFlags(activity) & RandomFlag));
        return flags == written ? traceparent : string.Concat(traceparent.AsSpan(0, 53), flags.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The trace flags of the remote parent of <paramref name="activity"/>'s local root, or 0 when it has none.</summary>
    private static byte RemoteParentFlags(Activity activity)
    {
        var root = activity;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        return root.IdFormat == ActivityIdFormat.W3C && root.ParentSpanId != default && root.ParentId is { Length: 55 } parentId
            && byte.TryParse(parentId.AsSpan(53), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var flags)
            ? flags
            : (byte)0;
    }

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
    {
        if (_traceContext)
        {
            if (getter is not null && FutureVersionPrefix(carrier, getter) is { } known)
            {
                // W3C: a traceparent of a higher version may carry more fields; the known part is used.
                var original = getter;
                getter = (c, name, out value, out values) =>
                {
                    if (name == TraceParentHeader)
                    {
                        (value, values) = (known, null);
                        return;
                    }

                    original(c, name, out value, out values);
                };
            }

            _w3c.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);
            if (traceId is not null && getter is not null)
            {
                // The runtime trims and cuts tracestate on its own terms; the header as sent is validated instead.
                var raw = Header(carrier, getter, "tracestate");
                traceState = string.IsNullOrEmpty(raw) ? null : ValidTraceState(traceId, raw);
            }

            return;
        }

        traceId = null;
        traceState = null;
    }

    /// <summary>
    /// The tracestate as W3C Trace Context wants it passed on: list members validated, whitespace trimmed, at most 32
    /// members, or nothing when it cannot be parsed. The runtime passes the header through untouched; OpenTelemetry's
    /// W3C propagator applies the rules, so it is asked (only when a request carries a tracestate).
    /// </summary>
    private static string? ValidTraceState(string traceparent, string tracestate)
    {
        var context = TraceContextRules.Extract(default, (traceparent, tracestate), static (carrier, name) =>
            name == TraceParentHeader ? [carrier.traceparent] : name == "tracestate" ? [carrier.tracestate] : null);
        return string.IsNullOrEmpty(context.ActivityContext.TraceState) ? null : context.ActivityContext.TraceState;
    }

    /// <summary>
    /// For a traceparent of a version other than 00 (and not the invalid ff) that is longer than version 00's 55
    /// characters and continues with '-', the first 55 characters; otherwise null (the runtime parses it as it is).
    /// </summary>
    private static string? FutureVersionPrefix(object? carrier, PropagatorGetterCallback getter)
    {
        getter(carrier, TraceParentHeader, out var value, out var values);
        if (values is not null || value is not { Length: > 55 } || value[55] != '-' || value.StartsWith("00", StringComparison.Ordinal)
            || value.StartsWith("ff", StringComparison.Ordinal) || value.Contains(','))
        {
            return null;
        }

        var known = value[..55];
        for (var i = 0; i < known.Length; i++)
        {
            var c = known[i];
            var isSeparator = i is 2 or 35 or 52;
            if (isSeparator ? c != '-' : !char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return null;
            }
        }

        return known;
    }

    /// <summary>
    /// The caller's baggage. The runtime's parser stops at the first member it cannot read (<c>a=</c>, <c>bad</c>)
    /// and loses every member after it, so such members are taken out of the header first and the rest kept.
    /// </summary>
    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter)
    {
        if (!_baggage || getter is null)
        {
            return null;
        }

        var header = Header(carrier, getter, BaggageHeader);
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        var readable = W3CBaggageHeader.ReadableMembers(header);
        return readable.Length == 0
            ? null
            : _w3c.ExtractBaggage(readable, static (c, name, out v, out vs) => (v, vs) = (name == BaggageHeader ? (string)c! : null, null));
    }

    /// <summary>A header's value, its repeated fields joined with ',' as HTTP lists are.</summary>
    private static string? Header(object? carrier, PropagatorGetterCallback getter, string name)
    {
        getter(carrier, name, out var value, out var values);
        return values is null ? value : string.Join(',', values);
    }

}
