using System.Diagnostics;
using Hyperspot.Server.Telemetry;
using OpenTelemetry.Trace;

namespace Hyperspot.Server.Tests.Telemetry;

public sealed class ReloadableSamplerTests
{
    private static SamplingParameters Root() =>
        new(default, ActivityTraceId.CreateRandom(), "GET /", ActivityKind.Server);

    [Fact]
    public void New_root_spans_follow_the_sampler_swapped_in()
    {
        var sampler = new ReloadableSampler(new AlwaysOffSampler());
        Assert.Equal(SamplingDecision.Drop, sampler.ShouldSample(Root()).Decision);

        sampler.Swap(new AlwaysOnSampler());

        Assert.Equal(SamplingDecision.RecordAndSample, sampler.ShouldSample(Root()).Decision);
        Assert.Equal(new AlwaysOnSampler().Description, sampler.Description);
    }

    [Fact]
    public void A_child_of_a_sampled_parent_stays_sampled_under_a_parent_based_sampler_swapped_to_off()
    {
        var sampler = new ReloadableSampler(new ParentBasedSampler(new AlwaysOnSampler()));
        sampler.Swap(new ParentBasedSampler(new AlwaysOffSampler()));
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        var child = sampler.ShouldSample(new SamplingParameters(parent, parent.TraceId, "child", ActivityKind.Internal));

        Assert.Equal(SamplingDecision.RecordAndSample, child.Decision);
        Assert.Equal(SamplingDecision.Drop, sampler.ShouldSample(Root()).Decision);
    }

    [Fact]
    public void Deciding_allocates_nothing()
    {
        var sampler = new ReloadableSampler(new AlwaysOnSampler());
        var parameters = Root();
        sampler.ShouldSample(parameters);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            sampler.ShouldSample(parameters);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
