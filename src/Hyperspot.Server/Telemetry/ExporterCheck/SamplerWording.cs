using System.Globalization;
using Hyperspot.Server.Configuration;

namespace Hyperspot.Server.Telemetry.ExporterCheck;

/// <summary>The effective sampler in one phrase: what share of traces is kept, and whether a caller's decision counts.</summary>
public static class SamplerWording
{
    /// <summary>The phrase, and whether the sampler can keep any trace at all.</summary>
    public static (bool SamplesAnything, string Text) Describe(SamplerSettings sampler)
    {
        var share = Percent(sampler.Ratio);
        var ratio = sampler.Ratio.ToString(CultureInfo.InvariantCulture);
        return sampler.Strategy switch
        {
            SamplerStrategy.AlwaysOn => (true, "always_on: every trace is sampled, whatever a caller decided"),
            SamplerStrategy.AlwaysOff => (false, "always_off: no trace is ever sampled, so no span is exported; use parentbased_always_on to see traces"),
            SamplerStrategy.Ratio when sampler.Ratio <= 0 => (false, $"ratio {ratio}: no trace is ever sampled, so no span is exported; raise tracing.sampler.ratio"),
            SamplerStrategy.Ratio => (true, $"ratio {ratio}: {share} of traces, chosen by trace id; a caller's decision is ignored"),
            SamplerStrategy.ParentBasedRatio => (true, $"parentbased_ratio {ratio}: {share} of new traces; a caller's decision is followed"),
            SamplerStrategy.ParentBasedAlwaysOff => (true, "parentbased_always_off: no new trace is started; a caller's decision is followed"),
            _ => (true, "parentbased_always_on: every new trace is sampled; a caller's decision is followed"),
        };
    }

    private static string Percent(double ratio) => (ratio * 100).ToString("0.####", CultureInfo.InvariantCulture) + "%";
}
