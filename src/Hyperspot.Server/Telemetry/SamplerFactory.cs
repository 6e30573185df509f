using Hyperspot.Server.Configuration;
using OpenTelemetry.Trace;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// The OpenTelemetry sampler for <c>tracing.sampler</c>. The ratio samplers decide from the trace id alone,
/// so every instance of the server makes the same decision for a trace.
/// </summary>
public static class SamplerFactory
{
    public static Sampler Create(SamplerSettings settings) => settings.Strategy switch
    {
        SamplerStrategy.AlwaysOn => new AlwaysOnSampler(),
        SamplerStrategy.AlwaysOff => new AlwaysOffSampler(),
        SamplerStrategy.Ratio => new TraceIdRatioBasedSampler(settings.Ratio),
        SamplerStrategy.ParentBasedRatio => new ParentBasedSampler(new TraceIdRatioBasedSampler(settings.Ratio)),
        SamplerStrategy.ParentBasedAlwaysOff => new ParentBasedSampler(new AlwaysOffSampler()),
        _ => new ParentBasedSampler(new AlwaysOnSampler()),
    };

    /// <summary>How the sampler is shown in the start-up log line.</summary>
    public static string Describe(SamplerSettings settings) =>
        settings.UsesRatio
            ? $"{ConfigNames.NameOf(settings.Strategy)} ({settings.Ratio.ToString(System.Globalization.CultureInfo.InvariantCulture)})"
            : ConfigNames.NameOf(settings.Strategy);
}
