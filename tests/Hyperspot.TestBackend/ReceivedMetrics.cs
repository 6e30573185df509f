namespace Hyperspot.TestBackend;

/// <summary>One instrument as the dashboard received it, from one service and meter.</summary>
/// <param name="ServiceName">The resource's <c>service.name</c>.</param>
/// <param name="MeterName">The instrumentation scope: the meter's name (<c>Microsoft.AspNetCore.Hosting</c>).</param>
/// <param name="Name">The instrument's name (<c>http.server.request.duration</c>).</param>
/// <param name="Unit">Its unit (<c>s</c>, <c>{request}</c>).</param>
/// <param name="Series">One per distinct set of attributes.</param>
public sealed record ReceivedInstrument(string ServiceName, string MeterName, string Name, string Unit, IReadOnlyList<ReceivedSeries> Series)
{
    /// <summary>Every exemplar of every series.</summary>
    public IEnumerable<ReceivedExemplar> Exemplars => Series.SelectMany(s => s.Exemplars);

    public override string ToString() =>
        $"{ServiceName} {MeterName} {Name} [{Unit}] {Series.Count} series, {Exemplars.Count()} exemplars";
}

/// <summary>
/// One series (a set of attribute values) of an instrument. The values are the largest received: with the
/// cumulative temporality the server exports, the latest total.
/// </summary>
/// <param name="Attributes">The attributes (<c>http.route</c>, <c>http.request.method</c>, ...).</param>
/// <param name="HistogramCount">For a histogram, the number of measurements; otherwise null.</param>
/// <param name="Value">For a counter or gauge, its value; otherwise null.</param>
/// <param name="ExplicitBounds">For a histogram, its bucket boundaries.</param>
/// <param name="Exemplars">Measurements kept with the trace they were recorded in.</param>
public sealed record ReceivedSeries(
    IReadOnlyDictionary<string, string> Attributes,
    long? HistogramCount,
    double? Value,
    IReadOnlyList<double> ExplicitBounds,
    IReadOnlyList<ReceivedExemplar> Exemplars)
{
    public string? Attribute(string key) => Attributes.GetValueOrDefault(key);
}

/// <summary>A measurement kept as an exemplar, with the trace and span it was recorded in (hex, lower case).</summary>
public sealed record ReceivedExemplar(string TraceId, string SpanId, double Value);
