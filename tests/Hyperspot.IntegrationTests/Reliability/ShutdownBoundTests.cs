using System.Diagnostics;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;
using Xunit.Abstractions;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>
/// SIGTERM while the backend is down or hangs: the process exits 0 within <c>server.shutdown_timeout_ms</c>, whatever
/// the exporter does, and says how many spans it could not deliver.
/// </summary>
public sealed class ShutdownBoundTests(ITestOutputHelper output)
{
    private const int ShutdownTimeoutMs = 3000;

    /// <summary>What the runtime needs beyond the host's own shutdown to tear the process down, on a busy 2-core machine.</summary>
    private static readonly TimeSpan ExitSlack = TimeSpan.FromMilliseconds(3000);

    [Fact]
    public async Task Sigterm_with_spans_queued_and_the_backend_down_or_hanging_exits_0_within_the_shutdown_timeout()
    {
        var closedPort = FreePorts.Pick();
        var cases = new (string Name, string Kind, bool Hangs, bool OtlpLogs)[]
        {
            ("closed port, otlp_http", "otlp_http", false, false),
            ("closed port, otlp_grpc", "otlp_grpc", false, false),
            ("hanging, otlp_http", "otlp_http", true, false),
            ("hanging, otlp_grpc", "otlp_grpc", true, false),
            ("hanging, otlp_http, logs over OTLP too", "otlp_http", true, true),
        };

        var results = await Task.WhenAll(cases.Select(c => RunAsync(c.Name, c.Kind, c.Hangs, c.OtlpLogs, closedPort)));

        foreach (var (name, exitCode, took, _) in results)
        {
            output.WriteLine($"{name}: exit {exitCode} after {took.TotalMilliseconds:0} ms");
        }

        Assert.All(results, r => Assert.True(r.ExitCode == 0, $"{r.Name}: exit code {r.ExitCode}\n{r.Output}"));
        Assert.All(results, r => Assert.True(
            r.Took < TimeSpan.FromMilliseconds(ShutdownTimeoutMs) + ExitSlack,
            $"{r.Name}: took {r.Took.TotalMilliseconds:0} ms to exit after SIGTERM (shutdown_timeout_ms {ShutdownTimeoutMs})"));
        // Nothing reached the hanging backend, so every one of the 60 spans is counted as dropped, the batch stuck in
        // the black hole and those queued behind it included.
        Assert.All(results.Where(r => r.Name.StartsWith("hanging", StringComparison.Ordinal)), r =>
        {
            Assert.Contains("Not every queued span could be exported", r.Output);
            Assert.Contains("60 spans dropped in total", r.Output);
        });
    }

    private static async Task<(string Name, int ExitCode, TimeSpan Took, string Output)> RunAsync(string name, string kind, bool hangs, bool otlpLogs, int closedPort)
    {
        // The black hole reads each export request and never answers; the exporter would wait 20 s for it.
        await using var blackHole = await FaultyOtlpEndpoint.StartAsync(OtlpFault.Slow);
        blackHole.Delay = TimeSpan.FromMinutes(2);
        var endpoint = !hangs ? $"http://127.0.0.1:{closedPort}" : kind == "otlp_grpc" ? blackHole.GrpcEndpoint : blackHole.HttpEndpoint;
        await using var server = await TestServer.StartAsync(ReliabilityConfig.Yaml(
            endpoint,
            kind,
            timeoutMs: 20_000,
            shutdownTimeoutMs: ShutdownTimeoutMs,
            batch: ["scheduled_delay_ms: 200", "max_export_batch_size: 16", "max_queue_size: 256"],
            extraLogging: otlpLogs ? ["otlp:", "  enabled: true"] : null));
        await SendAsync(server, 40);
        if (hangs)
        {
            // One export is hanging in the black hole, and more spans are queued behind it.
            await blackHole.WaitForInFlightAsync(TimeSpan.FromSeconds(10));
            await SendAsync(server, 20);
            Assert.Equal(0, (await ServerProbe.SpanCountsAsync(server.Client)).Exported);
        }

        var watch = Stopwatch.StartNew();
        server.Process.Terminate();
        var exitCode = await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        watch.Stop();
        return (name, exitCode, watch.Elapsed, server.Process.StandardOutput + server.Process.StandardError);
    }

    private static async Task SendAsync(TestServer server, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await server.Client.GetAsync("/examples/v1/upstream/data");
            Assert.True(response.IsSuccessStatusCode);
        }
    }
}
