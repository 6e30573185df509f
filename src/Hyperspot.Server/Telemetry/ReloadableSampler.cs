using OpenTelemetry.Trace;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// The sampler the tracer provider is built with: it hands every decision to the current sampler for
/// <c>tracing.sampler</c>, which a configuration reload replaces (<see cref="Swap"/>). The decision path costs one
/// volatile read: no lock, no allocation. A span decided before a swap keeps its decision, and the parent-based
/// strategies (the default) keep every trace whole: children follow their parent's flag.
/// </summary>
public sealed class ReloadableSampler : Sampler
{
    private volatile Sampler _current;

    public ReloadableSampler(Sampler initial)
    {
        _current = initial;
        Description = initial.Description;
    }

    /// <summary>The sampler new spans are decided by.</summary>
    public Sampler Current => _current;

    /// <summary>New root spans are decided by <paramref name="next"/> from now on.</summary>
    public void Swap(Sampler next)
    {
        _current = next;
        Description = next.Description;
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        _current.ShouldSample(in samplingParameters);
}
