namespace Hyperspot.Modules.ModuleKit;

/// <summary>What the host tells modules (and <c>/health</c>) about span export.</summary>
public interface ITelemetryStatus
{
    bool TracingEnabled { get; }

    /// <summary>
    /// Spans in batches the backend accepted. A backend that accepts a batch but rejects some of its spans (an OTLP
    /// partial success) is not seen: those spans count here too.
    /// </summary>
    long SpansExported { get; }

    /// <summary>Spans lost: dropped because the export queue was full, or in batches the backend did not accept.</summary>
    long SpansDropped { get; }
}
