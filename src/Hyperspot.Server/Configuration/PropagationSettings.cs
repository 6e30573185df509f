using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>The <c>tracing.propagation</c> section: which W3C headers are read from requests and written on outgoing calls.</summary>
public sealed class PropagationSettings
{
    [ConfigurationKeyName("w3c_trace_context")]
    public bool W3cTraceContext { get; init; } = true;

    public bool Baggage { get; init; } = true;
}
