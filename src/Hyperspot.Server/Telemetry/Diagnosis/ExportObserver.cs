namespace Hyperspot.Server.Telemetry.Diagnosis;

/// <summary>
/// Keeps the latest exchange an exporter's HttpClient had with the backend (see <see cref="ExchangeRecorder"/>),
/// for whoever must say why an export failed: the export warning, <c>check --exporter</c>.
/// </summary>
public sealed class ExportObserver
{
    private ExportExchange? _latest;
    private long _count;

    /// <summary>The most recent exchange, or null before the first.</summary>
    public ExportExchange? Latest => Volatile.Read(ref _latest);

    /// <summary>How many exchanges were recorded: when it has not moved, no request reached the network since.</summary>
    public long Count => Interlocked.Read(ref _count);

    public void Record(ExportExchange exchange)
    {
        Volatile.Write(ref _latest, exchange);
        Interlocked.Increment(ref _count);
    }
}
