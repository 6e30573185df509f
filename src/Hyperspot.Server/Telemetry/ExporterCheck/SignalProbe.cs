using System.Diagnostics;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry.Diagnosis;
using OpenTelemetry;

namespace Hyperspot.Server.Telemetry.ExporterCheck;

/// <summary>What sending one test item of a signal came to.</summary>
/// <param name="Finished">False when the export was still running at the end of the budget.</param>
/// <param name="Result">The exporter's own result, when it finished.</param>
/// <param name="Exchange">What the exporter's HttpClient saw, if a request left.</param>
public sealed record SignalResult(bool Finished, ExportResult? Result, TimeSpan Elapsed, ExportExchange? Exchange, Exception? Error);

/// <summary>
/// Sends one test item of one signal (a span, a log record; a metric point would be one more) through the exporter
/// the server would build from the same settings: same kind, endpoint, headers, compression and timeout.
/// </summary>
public abstract class SignalProbe
{
    /// <summary>The step's name in the report: <c>spans</c>, <c>logs</c>.</summary>
    public abstract string Step { get; }

    /// <summary>What is sent, plural, for the report's words: <c>spans</c>, <c>log records</c>.</summary>
    public abstract string Items { get; }

    /// <summary>The OTLP/HTTP path of the signal (<c>/v1/traces</c>); gRPC uses the endpoint as configured.</summary>
    public abstract string SignalPath { get; }

    /// <summary>
    /// Sends the test item within the time <paramref name="left"/> says remains (asked when the export has started, so
    /// building the exporter counts too); an export still running then is left behind.
    /// </summary>
    public abstract Task<SignalResult> SendAsync(TracingSettings tracing, ActivityContext testSpan, Func<TimeSpan> left);

    /// <summary>
    /// Runs <paramref name="send"/> (which ends in a synchronous export) on its own thread and waits at most the time
    /// <paramref name="left"/>: the exporter's own timeout normally ends it first.
    /// </summary>
    protected static async Task<SignalResult> RunAsync<T>(Action send, ProbeExportProcessor<T> processor, ExportObserver observer, Func<TimeSpan> left)
        where T : class
    {
        var work = Task.Factory.StartNew(send, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var finished = await Task.WhenAny(work, Task.Delay(NetworkReach.Positive(left()))).ConfigureAwait(false) == work;
        var error = finished ? work.Exception?.GetBaseException() ?? processor.Error : null;
        return new SignalResult(finished && processor.Result is not null, processor.Result, processor.Elapsed, observer.Latest, error);
    }
}
