using System.Diagnostics;
using Hyperspot.Server.Telemetry;
using Hyperspot.Server.Tests.Support;
using Hyperspot.TestBackend;
using OpenTelemetry.Trace;

namespace Hyperspot.Server.Tests.Telemetry;

/// <summary>
/// The decision of the sampler built for each <c>tracing.sampler.strategy</c> (every accepted name), for a new trace
/// and under a sampled or unsampled parent that came from a caller (remote) or from this process (local), as
/// docs/TRACING.md defines them. Ratio decisions are checked id by id against <see cref="TraceIdRatioRule"/>.
/// </summary>
public sealed class SamplerFactoryTests
{
    public enum Parent
    {
        None,
        RemoteSampled,
        RemoteUnsampled,
        LocalSampled,
        LocalUnsampled,
    }

    /// <summary>Where the decision comes from: always yes, always no, the trace id, or the parent's sampled flag.</summary>
    public enum Rule
    {
        Yes,
        No,
        TraceId,
        ParentFlag,
    }

    private const double Ratio = 0.25;

    private static readonly IReadOnlyList<string> TraceIds = [.. TraceIdRatioRule.EvenlySpread(200), .. TraceIdRatioRule.Random(300)];

    public static TheoryData<string, Parent, Rule> Strategies()
    {
        var data = new TheoryData<string, Parent, Rule>();
        void Add(string strategy, Rule root, Rule withParent)
        {
            foreach (var parent in Enum.GetValues<Parent>())
            {
                data.Add(strategy, parent, parent == Parent.None ? root : withParent);
            }
        }

        Add("always_on", Rule.Yes, Rule.Yes);
        Add("always_off", Rule.No, Rule.No);
        Add("ratio", Rule.TraceId, Rule.TraceId);
        Add("traceidratio", Rule.TraceId, Rule.TraceId);
        Add("parentbased_ratio", Rule.TraceId, Rule.ParentFlag);
        Add("parentbased_traceidratio", Rule.TraceId, Rule.ParentFlag);
        Add("parentbased_always_on", Rule.Yes, Rule.ParentFlag);
        Add("parentbased_always_off", Rule.No, Rule.ParentFlag);
        return data;
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Each_strategy_decides_as_documented_for_new_traces_and_under_each_kind_of_parent(string strategy, Parent parent, Rule rule)
    {
        var sampler = Sampler(strategy, Ratio);

        foreach (var traceId in TraceIds)
        {
            var expected = rule switch
            {
                Rule.Yes => true,
                Rule.No => false,
                Rule.TraceId => TraceIdRatioRule.IsSampled(traceId, Ratio),
                _ => parent is Parent.RemoteSampled or Parent.LocalSampled,
            };
            var decision = Decide(sampler, traceId, parent);

            // Not sampled means not recorded either: such spans cost nothing and are never exported.
            Assert.True(
                decision == (expected ? SamplingDecision.RecordAndSample : SamplingDecision.Drop),
                $"{strategy} with parent {parent}, trace {traceId}: {decision}, expected {(expected ? "sampled" : "dropped")}");
        }
    }

    [Theory]
    [InlineData("ratio", 0.25, 50)]
    [InlineData("ratio", 0.75, 150)]
    [InlineData("ratio", 0.5, 100)]
    [InlineData("traceidratio", 0.1, 20)]
    [InlineData("parentbased_ratio", 0.25, 50)]
    [InlineData("parentbased_traceidratio", 0.75, 150)]
    [InlineData("ratio", 0, 0)]
    [InlineData("parentbased_ratio", 1, 200)]
    public void A_ratio_samples_exactly_that_share_of_trace_ids_spread_over_the_whole_range(string strategy, double ratio, int sampled)
    {
        var sampler = Sampler(strategy, ratio);
        var ids = TraceIdRatioRule.EvenlySpread(200);

        var decisions = ids.Select(id => Decide(sampler, id, Parent.None) == SamplingDecision.RecordAndSample).ToList();

        Assert.Equal(sampled, decisions.Count(d => d));
        Assert.Equal(ids.Select(id => TraceIdRatioRule.IsSampled(id, ratio)), decisions);
    }

    [Fact]
    public void The_ratio_decision_depends_on_the_trace_id_alone()
    {
        var sampler = Sampler("ratio", 0.5);

        foreach (var traceId in TraceIds.Take(100))
        {
            var decisions = Enum.GetValues<Parent>().Select(parent => Decide(sampler, traceId, parent)).Distinct();

            Assert.Equal([TraceIdRatioRule.IsSampled(traceId, 0.5) ? SamplingDecision.RecordAndSample : SamplingDecision.Drop], decisions);
        }
    }

    private static Sampler Sampler(string strategy, double ratio)
    {
        var yaml = $"tracing:\n  sampler:\n    strategy: \"{strategy}\"\n    ratio: {ratio.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n";
        return SamplerFactory.Create(Config.Read(yaml).Tracing.Sampler);
    }

    private static SamplingDecision Decide(Sampler sampler, string traceId, Parent parent)
    {
        var trace = ActivityTraceId.CreateFromString(traceId);
        var context = parent switch
        {
            Parent.None => default,
            _ => new ActivityContext(
                trace,
                ActivitySpanId.CreateRandom(),
                parent is Parent.RemoteSampled or Parent.LocalSampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None,
                traceState: null,
                isRemote: parent is Parent.RemoteSampled or Parent.RemoteUnsampled),
        };
        return sampler.ShouldSample(new SamplingParameters(context, trace, "GET /examples/v1/upstream/data", ActivityKind.Server)).Decision;
    }
}
