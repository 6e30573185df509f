using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// The OTLP exporter reports failures only through its EventSource. This listener keeps the latest failure
/// reason per process so the export processor can name it in its (rate-limited) warning.
/// </summary>
public sealed class ExporterDiagnostics : EventListener
{
    private const string ExporterEventSource = "OpenTelemetry-Exporter-OpenTelemetryProtocol";

    private static readonly Lazy<ExporterDiagnostics> Shared = new(() => new ExporterDiagnostics());

    private readonly ConcurrentQueue<string> _recent = new();

    public static ExporterDiagnostics Instance => Shared.Value;

    /// <summary>The most recent failure the exporter reported, or null.</summary>
    public string? LatestFailure => _recent.LastOrDefault();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == ExporterEventSource)
        {
            EnableEvents(eventSource, EventLevel.Warning);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.Level > EventLevel.Warning || eventData.Message is null)
        {
            return;
        }

        string text;
        try
        {
            text = eventData.Payload is { Count: > 0 } payload
                ? string.Format(System.Globalization.CultureInfo.InvariantCulture, eventData.Message, payload.ToArray())
                : eventData.Message;
        }
        catch (FormatException)
        {
            text = eventData.Message;
        }

        _recent.Enqueue(WithoutStackFrames(text));
        while (_recent.Count > 16 && _recent.TryDequeue(out _))
        {
        }
    }

    /// <summary>
    /// The text on one line, keeping the exception types and messages it includes but not their stack frames, which
    /// would fill the warning (it is cut at 500 characters) with runtime internals instead of the reason.
    /// </summary>
    private static string WithoutStackFrames(string text) =>
        string.Join(' ', text.ReplaceLineEndings("\n").Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith("at ", StringComparison.Ordinal) && !line.StartsWith("--- End of", StringComparison.Ordinal)));
}
