using System.Diagnostics;
using System.Text.RegularExpressions;
using Hyperspot.IntegrationTests.Reliability;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Tracing;

/// <summary>
/// The flush at stop, on its own: spans still queued when SIGTERM arrives are sent within
/// <c>server.shutdown_timeout_ms</c> and reach the backend before the process exits; those that cannot be are named
/// in a warning; and the run's last log line says what became of every span.
/// </summary>
[Collection(BackendCollection.Name)]
public sealed partial class ShutdownFlushTests(BackendFixture fixture)
{
    private const string Path = "/examples/v1/upstream/data";

    /// <summary>What the runtime needs beyond the host's own shutdown to tear the process down, on a busy 2-core machine.</summary>
    private static readonly TimeSpan ExitSlack = TimeSpan.FromSeconds(3);

    private AspireDashboard Backend => fixture.Backend;

    /// <summary>
    /// The backend takes 7 s to accept the export, which only starts at the stop (the scheduled export is 10 minutes
    /// away). The 15 s budget covers it; the 5 s that disposing the tracer provider would give the exporter on its own
    /// do not, so the spans arrive only if the server flushes them itself, within its budget.
    /// </summary>
    [Theory]
    [InlineData("otlp_http")]
    [InlineData("otlp_grpc")]
    public async Task Spans_queued_at_stop_reach_the_backend_before_the_process_exits_within_the_configured_budget(string kind)
    {
        const int requests = 20;
        var sendTakes = TimeSpan.FromSeconds(7);
        var budget = TimeSpan.FromSeconds(15);
        await using var slow = await FaultyOtlpEndpoint.StartAsync(OtlpFault.Slow, forwardHttpTo: Backend.OtlpHttpEndpoint);
        slow.Delay = sendTakes;
        await using var server = await TestServer.StartAsync(ReliabilityConfig.Yaml(
            kind == "otlp_http" ? slow.HttpEndpoint : slow.GrpcEndpoint,
            kind,
            timeoutMs: 30_000,
            shutdownTimeoutMs: (int)budget.TotalMilliseconds,
            batch: ["scheduled_delay_ms: 600000"]));
        await SendAsync(server, requests);
        Assert.Equal(new SpanCounts(0, 0), await ServerProbe.SpanCountsAsync(server.Client));

        var watch = Stopwatch.StartNew();
        Assert.Equal(0, await server.StopAsync(TimeSpan.FromSeconds(60)));
        watch.Stop();

        var export = Assert.Single(slow.Attempts);
        Assert.True(export.Answer == (kind == "otlp_http" ? "200" : "200/0"), $"the export at stop was cut short after {export.Duration.TotalMilliseconds:0} ms ({export.Answer ?? "given up"})");
        if (kind == "otlp_http")
        {
            // Forwarded to the real backend before the exporter had its answer, so before the process exited.
            var spans = (await Backend.GetSpansAsync()).Where(s => s.ServiceName == server.ServiceName && s.Kind == SpanKinds.Server).ToList();
            Assert.Equal(requests, spans.Select(s => s.TraceId).Distinct().Count());
        }

        var output = server.Process.StandardOutput;
        Assert.DoesNotContain("Not every queued span could be exported", output);
        Assert.InRange(watch.Elapsed, sendTakes, budget + ExitSlack);
        Assert.Equal(new Summary(requests, 0, 0, 0, 0), LastLineSummary(output));
        Assert.Equal(new Summary(requests, 0, 0, 0, 0), LastLineSummary(await LogFile.WaitForLinesAsync(server.LogFile, l => l.Any(x => x.Contains("Stopped: ")))));
    }

    /// <summary>
    /// A backend that never answers and a queue of 4: the first batch hangs in the export, the next 4 spans wait behind
    /// it, the rest find the queue full. At SIGTERM the budget runs out; the warning says so and the last line counts
    /// every span of the run by what became of it.
    /// </summary>
    [Fact]
    public async Task Spans_that_cannot_be_sent_in_time_are_named_in_a_warning_and_counted_in_the_last_line()
    {
        const int requests = 20;
        var budget = TimeSpan.FromSeconds(2);
        await using var blackHole = await FaultyOtlpEndpoint.StartAsync(OtlpFault.Slow);
        blackHole.Delay = TimeSpan.FromMinutes(2);
        await using var server = await TestServer.StartAsync(ReliabilityConfig.Yaml(
            blackHole.HttpEndpoint,
            "otlp_http",
            timeoutMs: 30_000,
            shutdownTimeoutMs: (int)budget.TotalMilliseconds,
            batch: ["scheduled_delay_ms: 600000", "max_queue_size: 4", "max_export_batch_size: 4"]));
        await SendAsync(server, requests);
        await blackHole.WaitForInFlightAsync(TimeSpan.FromSeconds(20));
        var before = await ServerProbe.SpanCountsAsync(server.Client);

        var watch = Stopwatch.StartNew();
        Assert.Equal(0, await server.StopAsync(TimeSpan.FromSeconds(60)));
        watch.Stop();

        Assert.True(watch.Elapsed < budget + ExitSlack, $"took {watch.Elapsed.TotalMilliseconds:0} ms to exit (shutdown_timeout_ms {budget.TotalMilliseconds})");
        var output = server.Process.StandardOutput;
        Assert.Contains("Not every queued span could be exported", output);
        var summary = LastLineSummary(output);
        Assert.Equal(LastLineSummary(await LogFile.WaitForLinesAsync(server.LogFile, l => l.Any(x => x.Contains("Stopped: ")))), summary);
        Assert.Equal(0, summary.Exported);
        Assert.Equal(requests, summary.Dropped);
        Assert.Equal(0, summary.Refused);
        Assert.InRange(summary.QueueFull, before.Dropped, requests - 4);
        Assert.InRange(summary.AtShutdown, 4, 8);
        Assert.Equal(requests, summary.QueueFull + summary.AtShutdown);
    }

    private static async Task SendAsync(TestServer server, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await server.Client.GetAsync(Path);
            Assert.True(response.IsSuccessStatusCode);
        }
    }

    /// <summary>The counts of the summary line, which must be the last line of <paramref name="output"/>.</summary>
    internal static Summary LastLineSummary(string output) => LastLineSummary(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

    internal static Summary LastLineSummary(IReadOnlyList<string> lines)
    {
        var last = lines.Select(l => l.TrimEnd('\r')).LastOrDefault(l => l.Length > 0) ?? "";
        var match = SummaryLine().Match(last);
        Assert.True(match.Success, $"the last line is not the summary: {last}\n{string.Join('\n', lines.TakeLast(10))}");
        long Count(string name) => long.Parse(match.Groups[name].Value, System.Globalization.CultureInfo.InvariantCulture);
        return new Summary(Count("exported"), Count("dropped"), Count("full"), Count("refused"), Count("shutdown"));
    }

    [GeneratedRegex(@"Stopped: (?<exported>\d+) spans exported, (?<dropped>\d+) dropped \((?<full>\d+) queue full, (?<refused>\d+) refused by the backend, (?<shutdown>\d+) at shutdown\)$")]
    private static partial Regex SummaryLine();

    internal sealed record Summary(long Exported, long Dropped, long QueueFull, long Refused, long AtShutdown);
}
