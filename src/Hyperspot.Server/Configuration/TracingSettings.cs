namespace Hyperspot.Server.Configuration;

/// <summary>The <c>tracing</c> section. A new instance holds the documented defaults.</summary>
public sealed class TracingSettings
{
    public bool Enabled { get; init; }

    public string ServiceName { get; init; } = "hyperspot";

    public ExporterSettings Exporter { get; init; } = new();

    public SamplerSettings Sampler { get; init; } = new();

    public PropagationSettings Propagation { get; init; } = new();

    public IReadOnlyDictionary<string, string> Resource { get; init; } = new Dictionary<string, string>();

    public HttpTracingSettings Http { get; init; } = new();

    public BatchSettings Batch { get; init; } = new();

    public static TracingSettings Read(SectionReader section)
    {
        var defaults = new TracingSettings();
        var settings = new TracingSettings
        {
            Enabled = section.Bool("enabled", defaults.Enabled),
            ServiceName = section.String("service_name", defaults.ServiceName),
            Exporter = ExporterSettings.Read(section.Section("exporter")),
            Sampler = SamplerSettings.Read(section.Section("sampler")),
            Propagation = PropagationSettings.Read(section.Section("propagation")),
            Resource = section.Map("resource"),
            Http = HttpTracingSettings.Read(section.Section("http")),
            Batch = BatchSettings.Read(section.Section("batch")),
        };
        if (string.IsNullOrWhiteSpace(settings.ServiceName))
        {
            section.Errors.Add(section.PathOf("service_name"), "must not be empty");
        }

        section.RejectUnknownKeys();
        return settings;
    }
}
