using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>The sampling strategies; the OpenTelemetry specification's names (<c>OTEL_TRACES_SAMPLER</c>) are accepted too.</summary>
[TypeConverter(typeof(ConfigNames))]
public enum SamplerStrategy
{
    AlwaysOn,
    AlwaysOff,
    [ConfigName("ratio", "traceidratio")]
    Ratio,
    [ConfigName("parentbased_ratio", "parentbased_traceidratio")]
    ParentBasedRatio,
    [ConfigName("parentbased_always_on")]
    ParentBasedAlwaysOn,
    [ConfigName("parentbased_always_off")]
    ParentBasedAlwaysOff,
}

/// <summary>The <c>tracing.sampler</c> section.</summary>
public sealed class SamplerSettings : IValidatableObject
{
    public SamplerStrategy Strategy { get; init; } = SamplerStrategy.ParentBasedAlwaysOn;

    /// <summary><c>ratio</c> as configured: required by the ratio strategies, which have no default for it.</summary>
    [ConfigurationKeyName("ratio")]
    [Range(0.0, 1.0)]
    public double? ConfiguredRatio { get; init; }

    /// <summary>The sampled fraction for the ratio strategies, in [0, 1].</summary>
    public double Ratio => ConfiguredRatio ?? 1.0;

    public bool UsesRatio => Strategy is SamplerStrategy.Ratio or SamplerStrategy.ParentBasedRatio;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesRatio && ConfiguredRatio is null)
        {
            yield return new ValidationResult("is required by the ratio strategies: a number between 0 and 1", [nameof(ConfiguredRatio)]);
        }
    }
}
