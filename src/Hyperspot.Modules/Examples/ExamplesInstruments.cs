using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Examples;

/// <summary>
/// The examples module's own instruments, on its <see cref="ModuleTelemetry{TModule}.Meter"/>
/// (<c>Hyperspot.Modules.examples</c>): created once, in this singleton, and recorded from the handlers. Exported only
/// when <c>metrics.enabled</c> is true.
/// </summary>
public sealed class ExamplesInstruments
{
    /// <summary>The semantic conventions' advice for HTTP durations in seconds.</summary>
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly Counter<long> _usersFetched;
    private readonly Histogram<double> _upstreamDuration;

    public ExamplesInstruments(ModuleTelemetry<ExamplesModule> telemetry)
    {
        _usersFetched = telemetry.Meter.CreateCounter<long>(
            "examples.users.fetched",
            unit: "{user}",
            description: "Users fetched from the upstream and returned by /users/{id}");
        _upstreamDuration = telemetry.Meter.CreateHistogram(
            "examples.upstream.duration",
            unit: "s",
            description: "How long the upstream took to answer, by route and outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    }

    public void UserFetched() => _usersFetched.Add(1);

    /// <summary>Records the time since <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    /// <param name="route">The upstream route: <c>users</c> or <c>data</c>.</param>
    /// <param name="outcome"><c>ok</c>, <c>error</c> (an error answer or a failed call) or <c>timeout</c>.</param>
    public void UpstreamAnswered(long startTimestamp, string route, string outcome) =>
        _upstreamDuration.Record(
            Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds,
            new KeyValuePair<string, object?>("upstream.route", route),
            new KeyValuePair<string, object?>("outcome", outcome));
}
