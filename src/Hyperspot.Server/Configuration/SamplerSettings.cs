namespace Hyperspot.Server.Configuration;

public enum SamplerStrategy
{
    AlwaysOn,
    AlwaysOff,
    Ratio,
    ParentBasedRatio,
    ParentBasedAlwaysOn,
    ParentBasedAlwaysOff,
}

/// <summary>The <c>tracing.sampler</c> section.</summary>
public sealed class SamplerSettings
{
    private static readonly (string, SamplerStrategy)[] CanonicalNames =
    [
        ("always_on", SamplerStrategy.AlwaysOn),
        ("always_off", SamplerStrategy.AlwaysOff),
        ("ratio", SamplerStrategy.Ratio),
        ("parentbased_ratio", SamplerStrategy.ParentBasedRatio),
        ("parentbased_always_on", SamplerStrategy.ParentBasedAlwaysOn),
        ("parentbased_always_off", SamplerStrategy.ParentBasedAlwaysOff),
    ];

    /// <summary>The OpenTelemetry specification's names (<c>OTEL_TRACES_SAMPLER</c>), accepted everywhere.</summary>
    private static readonly (string, SamplerStrategy)[] SpecificationNames =
    [
        ("traceidratio", SamplerStrategy.Ratio),
        ("parentbased_traceidratio", SamplerStrategy.ParentBasedRatio),
    ];

    private static readonly (string, SamplerStrategy)[] Names = [.. CanonicalNames, .. SpecificationNames];

    public SamplerStrategy Strategy { get; init; } = SamplerStrategy.ParentBasedAlwaysOn;

    /// <summary>The sampled fraction for the ratio strategies, in [0, 1].</summary>
    public double Ratio { get; init; } = 1.0;

    public bool UsesRatio => Strategy is SamplerStrategy.Ratio or SamplerStrategy.ParentBasedRatio;

    /// <summary>True when <paramref name="name"/> is any accepted spelling of a ratio strategy (<c>TraceIdRatio</c>, <c>parentbased_ratio</c>).</summary>
    public static bool NamesRatioStrategy(string name) =>
        Names.Any(n => n.Item1.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase) && n.Item2 is SamplerStrategy.Ratio or SamplerStrategy.ParentBasedRatio);

    public static SamplerSettings Read(SectionReader section)
    {
        var strategy = section.Choice("strategy", SamplerStrategy.ParentBasedAlwaysOn, Names, canonicalCount: CanonicalNames.Length);
        var ratio = section.Double("ratio", null, 0, 1);
        var settings = new SamplerSettings { Strategy = strategy, Ratio = ratio ?? 1.0 };
        if (settings.UsesRatio && ratio is null && !section.Errors.All.Any(e => e.StartsWith(section.PathOf("ratio"), StringComparison.Ordinal)))
        {
            section.Errors.Add(section.PathOf("ratio"), "is required by the ratio strategies: a number between 0 and 1");
        }

        section.RejectUnknownKeys();
        return settings;
    }
}
