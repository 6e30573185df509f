using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>The <c>tracing</c> section. A new instance holds the documented defaults.</summary>
public sealed class TracingSettings
{
    public bool Enabled { get; init; }

    [ConfigurationKeyName("service_name")]
    [Required(AllowEmptyStrings = false, ErrorMessage = "must not be empty")]
    public string ServiceName { get; init; } = "hyperspot";

    public ExporterSettings Exporter { get; init; } = new();

    public SamplerSettings Sampler { get; init; } = new();

    public PropagationSettings Propagation { get; init; } = new();

    /// <summary>Resource attributes; names are case-insensitive, as every configuration key.</summary>
    public IReadOnlyDictionary<string, string> Resource
    {
        get;
        init => field = new Dictionary<string, string>(value, StringComparer.OrdinalIgnoreCase);
    } = new Dictionary<string, string>();

    public HttpTracingSettings Http { get; init; } = new();

    public BatchSettings Batch { get; init; } = new();
}
