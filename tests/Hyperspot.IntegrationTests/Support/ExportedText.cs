using System.Text;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Support;

/// <summary>Everything the trace backend holds from one service, as text to search: spans (names, status, attributes, events, resource) and log records.</summary>
public sealed record ExportedText(IReadOnlyList<ReceivedSpan> Spans, IReadOnlyList<ReceivedLogRecord> Logs, string Text)
{
    public static async Task<ExportedText> OfServiceAsync(AspireDashboard backend, string serviceName)
    {
        var spans = (await backend.GetSpansAsync()).Where(s => s.ServiceName == serviceName).ToList();
        var logs = (await backend.GetLogsAsync()).Where(l => l.ServiceName == serviceName).ToList();
        var text = new StringBuilder();
        foreach (var span in spans)
        {
            text.AppendLine($"{span.Name} {span.StatusMessage}");
            foreach (var key in span.Attributes.Keys.Concat(span.ResourceAttributes.Keys))
            {
                text.AppendLine($"{key}={span.Attribute(key)}{(span.ResourceAttributes.TryGetValue(key, out var r) ? r : "")}");
            }

            foreach (var e in span.Events)
            {
                text.AppendLine(e.Name + " " + string.Join(' ', e.Attributes.Keys.Select(k => $"{k}={e.Attribute(k)}")));
            }
        }

        foreach (var log in logs)
        {
            text.AppendLine(log.Body + " " + string.Join(' ', log.Attributes.Keys.Select(k => $"{k}={log.Attribute(k)}")));
        }

        return new ExportedText(spans, logs, text.ToString());
    }

    /// <summary>Around each secret found in <paramref name="text"/>, for a failure message.</summary>
    public static string Excerpts(string text, IEnumerable<string> secrets) =>
        string.Join('\n', secrets.Select(s =>
        {
            var at = text.IndexOf(s, StringComparison.Ordinal);
            return at < 0 ? "" : "..." + text[Math.Max(0, at - 200)..Math.Min(text.Length, at + s.Length + 100)] + "...";
        }));
}
