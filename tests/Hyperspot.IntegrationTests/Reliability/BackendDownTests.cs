using System.Diagnostics;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;
using Xunit.Abstractions;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>The backend is unreachable from start-up to the end: the server must not care, beyond saying so once and counting what it lost.</summary>
public sealed class BackendDownTests(ITestOutputHelper output)
{
    private const string Path = "/examples/v1/upstream/data";
    private const int PaddingHeaders = 24;
    private const int Burst = 6000;
    private const long MemoryBound = 160L * 1024 * 1024;

    [Fact]
    public async Task Unreachable_backend_leaves_latency_alone_warns_once_counts_every_lost_span_and_bounds_memory()
    {
        var started = Stopwatch.StartNew();
        var closedPort = FreePorts.Pick();
        var padding = Enumerable.Range(0, PaddingHeaders).Select(i => $"x-pad-{i}").ToList();
        string Yaml(bool tracing) => ReliabilityConfig.Yaml(
            $"http://127.0.0.1:{closedPort}",
            tracingEnabled: tracing,
            batch: ["max_queue_size: 64", "max_export_batch_size: 32", "scheduled_delay_ms: 100"],
            http: [$"record_headers: [{string.Join(", ", padding.Select(p => $"\"{p}\""))}]"],
            logging: ["console_level: \"warn\"", "file: \"\""]);
        var servers = await Task.WhenAll(TestServer.StartAsync(Yaml(tracing: true)), TestServer.StartAsync(Yaml(tracing: false)));
        await using var traced = servers[0];
        await using var baseline = servers[1];

        // Latency: the same requests, alternating between the two servers, after a warm-up.
        await Latency.InterleavedAsync(50, Path, baseline.Client, traced.Client);
        var latency = await Latency.InterleavedAsync(200, Path, baseline.Client, traced.Client);
        output.WriteLine(Latency.AssertUnaffected("backend down", latency[0], latency[1], exportStall: TimeSpan.FromSeconds(1)));

        // Memory: a burst of requests whose spans each carry ~48 KB of recorded headers. Kept, they would need
        // Burst x 48 KB (~290 MB); the queue holds 64 of them, so resident memory must stay far below that.
        var residentBefore = ServerProbe.ResidentBytes(traced.Process.ProcessId);
        var peak = residentBefore;
        using var burstClient = new HttpClient { BaseAddress = traced.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        foreach (var name in padding)
        {
            burstClient.DefaultRequestHeaders.TryAddWithoutValidation(name, new string((char)('a' + padding.IndexOf(name) % 26), 1024));
        }

        using (var sampling = new CancellationTokenSource())
        {
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, ServerProbe.ResidentBytes(traced.Process.ProcessId));
                    await Task.Delay(100);
                }
            });
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) < Burst)
                {
                    using var response = await burstClient.GetAsync(Path);
                    Assert.Equal(200, (int)response.StatusCode);
                }
            }));
            sampling.Cancel();
            await sampler;
        }

        var growth = peak - residentBefore;
        output.WriteLine($"resident memory {residentBefore / 1024 / 1024} MB before the burst, peak {peak / 1024 / 1024} MB");
        Assert.True(growth < MemoryBound, $"resident memory grew by {growth / 1024 / 1024} MB during the burst (from {residentBefore / 1024 / 1024} MB)");

        // Every span is lost, and /health says so: exactly one per traced request once the queue has drained.
        const int TracedRequests = 50 + 200 + Burst;
        var counts = await ServerProbe.WaitForSpanCountsAsync(traced.Client, c => c.Settled >= TracedRequests, TimeSpan.FromSeconds(30));
        Assert.Equal(new SpanCounts(0, TracedRequests), counts);
        Assert.Equal(counts, await ServerProbe.SpanCountsAsync(traced.Client));

        Assert.Equal(0, await traced.StopAsync());
        var console = traced.Process.StandardOutput;
        var warnings = console.Split('\n').Where(l => l.Contains("Span export to") && l.Contains("failed")).ToList();
        var allowed = 1 + (int)(started.Elapsed.TotalSeconds / 30);
        Assert.InRange(warnings.Count, 1, allowed);
        Assert.All(warnings, w => Assert.Contains($"http://127.0.0.1:{closedPort}/v1/traces", w));
        Assert.Contains("Connection refused", warnings[0]);
        Assert.DoesNotContain(" at System.", warnings[0]);
        Assert.DoesNotContain(console.Split('\n'), l => l.Contains(" ERR ") || l.Contains(" FTL ") || l.Contains("Unhandled", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("", traced.Process.StandardError);
    }
}
