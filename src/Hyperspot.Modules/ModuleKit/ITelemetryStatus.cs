namespace Hyperspot.Modules;

/// <summary>What the host tells modules (and <c>/health</c>) about span export.</summary>
public interface ITelemetryStatus
{
    bool TracingEnabled { get; }

    /// <summary>Spans handed to the exporter and accepted by the backend.</summary>
    long SpansExported { get; }

    /// <summary>Spans lost: dropped because the export queue was full, or in batches the backend did not accept.</summary>
    long SpansDropped { get; }
}
