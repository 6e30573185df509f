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
        var name = ConfigNames.NameOf(sampler.Strategy);
        var (samplesAnything, text) = sampler.Strategy switch
        {
            SamplerStrategy.AlwaysOn => (true, "every trace is sampled, whatever a caller decided"),
            SamplerStrategy.AlwaysOff => (false, "no trace is ever sampled, so no span is exported; use parentbased_always_on to see traces"),
            SamplerStrategy.Ratio when sampler.Ratio <= 0 => (false, "no trace is ever sampled, so no span is exported; raise tracing.sampler.ratio"),
            SamplerStrategy.Ratio => (true, $"{share} of traces, chosen by trace id; a caller's decision is ignored"),
            SamplerStrategy.ParentBasedRatio => (true, $"{share} of new traces; a caller's decision is followed"),
            SamplerStrategy.ParentBasedAlwaysOff => (true, "no new trace is started; a caller's decision is followed"),
            _ => (true, "every new trace is sampled; a caller's decision is followed"),
        };
        return (samplesAnything, sampler.UsesRatio ? $"{name} {ratio}: {text}" : $"{name}: {text}");
    }

    private static string Percent(double ratio) => (ratio * 100).ToString("0.####", CultureInfo.InvariantCulture) + "%";
}
