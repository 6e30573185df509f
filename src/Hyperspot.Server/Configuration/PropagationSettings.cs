namespace Hyperspot.Server.Configuration;

/// <summary>The <c>tracing.propagation</c> section: which W3C headers are read from requests and written on outgoing calls.</summary>
public sealed class PropagationSettings
{
    public bool W3cTraceContext { get; init; } = true;

    public bool Baggage { get; init; } = true;

    public static PropagationSettings Read(SectionReader section)
    {
        var defaults = new PropagationSettings();
        var settings = new PropagationSettings
        {
            W3cTraceContext = section.Bool("w3c_trace_context", defaults.W3cTraceContext),
            Baggage = section.Bool("baggage", defaults.Baggage),
        };
        section.RejectUnknownKeys();
        return settings;
    }
}
