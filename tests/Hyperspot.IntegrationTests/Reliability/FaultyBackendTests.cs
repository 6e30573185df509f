using Hyperspot.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>A backend that accepts the export and never answers in time.</summary>
public sealed class SlowBackendTests(ITestOutputHelper output)
{
    private const string Path = "/examples/v1/upstream/data";
    private const int TimeoutMs = 500;

    [Fact]
    public async Task Exports_time_out_after_timeout_ms_retries_are_bounded_and_requests_never_wait_for_them()
    {
        await using var slow = await FaultyOtlpEndpoint.StartAsync(OtlpFault.Slow);
        string Yaml(string endpoint, string kind, bool tracing = true) => ReliabilityConfig.Yaml(
            endpoint, kind, timeoutMs: TimeoutMs, tracingEnabled: tracing, shutdownTimeoutMs: 2000,
            batch: ["scheduled_delay_ms: 200", "max_export_batch_size: 8", "max_queue_size: 64"],
            logging: ["console_level: \"warn\"", "file: \"\""]);
        var servers = await Task.WhenAll(
            TestServer.StartAsync(Yaml(slow.HttpEndpoint, "otlp_http")),
            TestServer.StartAsync(Yaml(slow.GrpcEndpoint, "otlp_grpc")),
            TestServer.StartAsync(Yaml(slow.HttpEndpoint, "otlp_http", tracing: false)));
        await using var http = servers[0];
        await using var grpc = servers[1];
        await using var baseline = servers[2];

        await Latency.InterleavedAsync(30, Path, baseline.Client, http.Client, grpc.Client);
        var latency = await Latency.InterleavedAsync(100, Path, baseline.Client, http.Client, grpc.Client);
        output.WriteLine(Latency.AssertUnaffected("slow backend, otlp_http", latency[0], latency[1], TimeSpan.FromMilliseconds(TimeoutMs)));
        output.WriteLine(Latency.AssertUnaffected("slow backend, otlp_grpc", latency[0], latency[2], TimeSpan.FromMilliseconds(TimeoutMs)));

        foreach (var protocol in new[] { "http", "grpc" })
        {
            // Until three batches went through all three attempts (about 3 s each); more attempts pile up meanwhile.
            var batches = await RetryChecks.WaitForRetriedBatchesAsync(slow, protocol, 3, TimeSpan.FromSeconds(90));
            RetryChecks.AssertBoundedAndSpaced(batches, protocol, minimumRetries: 3);
            var attempts = batches.SelectMany(b => b).ToList();
            output.WriteLine($"{protocol}: {batches.Count} batches, attempts per batch {string.Join(",", batches.Select(b => b.Count))}; " +
                string.Join(" | ", batches.Select(RetryChecks.Describe)));

            // The exporter gave up on every attempt (the endpoint holds each for 30 s) after timeout_ms. The endpoint
            // sees an attempt from when it arrived (after the exporter started its clock, connecting can take a while)
            // until it noticed the exporter gave up (which a loaded machine can delay): typically the whole timeout,
            // with outliers both ways, so the median is held to the timeout, and each attempt only to well under the
            // 10 s the exporter would wait without timeout_ms.
            Assert.All(attempts, a => Assert.True(a.ClientAborted, $"{protocol}: the exporter waited for an answer ({a.Answer})"));
            var durations = attempts.Where(a => !RetryChecks.IsBodiless(a)).Select(a => a.Duration).ToList();
            var shown = string.Join(", ", durations.Select(d => d.TotalMilliseconds.ToString("0")));
            Assert.InRange(ServerProbe.Percentile(durations, 50), TimeSpan.FromMilliseconds(TimeoutMs * 0.6), TimeSpan.FromMilliseconds(TimeoutMs + 500));
            Assert.All(durations, d => Assert.True(d < TimeSpan.FromMilliseconds(TimeoutMs + 4000), $"{protocol}: an attempt was held {d.TotalMilliseconds:0} ms ({shown} ms)"));
        }

        Assert.Equal(0, (await ServerProbe.SpanCountsAsync(http.Client)).Exported);
        Assert.True((await ServerProbe.SpanCountsAsync(grpc.Client)).Dropped > 0);
        Assert.Equal(new[] { 0, 0 }, await Task.WhenAll(http.StopAsync(), grpc.StopAsync()));
        foreach (var (server, endpoint) in new[] { (http, slow.HttpEndpoint + "/v1/traces"), (grpc, slow.GrpcEndpoint + "/") })
        {
            var warning = Assert.Single(server.Process.StandardOutput.Split('\n'), l => l.Contains("Span export to"));
            Assert.Contains(endpoint, warning);
        }
    }
}

/// <summary>A backend that answers every export with an error: HTTP 503 for OTLP/HTTP, gRPC UNAVAILABLE (14) for OTLP/gRPC.</summary>
public sealed class FailingBackendTests(ITestOutputHelper output)
{
    private const string Path = "/examples/v1/upstream/data";

    [Fact]
    public async Task Each_batch_is_tried_exactly_three_times_then_dropped_and_export_recovers_when_the_backend_does()
    {
        await using var failing = await FaultyOtlpEndpoint.StartAsync(OtlpFault.None);
        string Yaml(string endpoint, string kind, bool tracing = true) => ReliabilityConfig.Yaml(
            endpoint, kind, timeoutMs: 1000, tracingEnabled: tracing, shutdownTimeoutMs: 3000,
            batch: ["scheduled_delay_ms: 200", "max_export_batch_size: 10", "max_queue_size: 100"]);
        var servers = await Task.WhenAll(
            TestServer.StartAsync(Yaml(failing.HttpEndpoint, "otlp_http")),
            TestServer.StartAsync(Yaml(failing.GrpcEndpoint, "otlp_grpc")),
            TestServer.StartAsync(Yaml(failing.HttpEndpoint, "otlp_http", tracing: false)));
        await using var http = servers[0];
        await using var grpc = servers[1];
        await using var baseline = servers[2];

        // One batch accepted first: the exporters' connections are open before the backend fails, so that no attempt
        // is lost on the way to the endpoint while a first connection is set up on a busy machine (the endpoint would
        // never see it, and the batch would look tried twice).
        await Latency.InterleavedAsync(5, Path, http.Client, grpc.Client);
        await ServerProbe.WaitForSpanCountsAsync(http.Client, c => c.Exported == 5, TimeSpan.FromSeconds(20));
        await ServerProbe.WaitForSpanCountsAsync(grpc.Client, c => c.Exported == 5, TimeSpan.FromSeconds(20));
        var accepted = failing.Attempts.Count;
        failing.Fault = OtlpFault.Unavailable;

        // Three bursts of 10, each its own batch, all refused; request latency does not notice.
        var samples = new List<TimeSpan>[] { [], [], [] };
        for (var burst = 1; burst <= 3; burst++)
        {
            var latency = await Latency.InterleavedAsync(10, Path, baseline.Client, http.Client, grpc.Client);
            for (var i = 0; i < 3; i++)
            {
                samples[i].AddRange(latency[i]);
            }

            await ServerProbe.WaitForSpanCountsAsync(http.Client, c => c.Dropped >= burst * 10, TimeSpan.FromSeconds(20));
            await ServerProbe.WaitForSpanCountsAsync(grpc.Client, c => c.Dropped >= burst * 10, TimeSpan.FromSeconds(20));
        }

        output.WriteLine(Latency.AssertUnaffected("503 backend, otlp_http", samples[0], samples[1], TimeSpan.FromMilliseconds(1000)));
        output.WriteLine(Latency.AssertUnaffected("UNAVAILABLE backend, otlp_grpc", samples[0], samples[2], TimeSpan.FromMilliseconds(1000)));
        var failed = failing.Attempts.Skip(accepted).ToList();
        foreach (var (protocol, answer) in new[] { ("http", "503"), ("grpc", "200/14") })
        {
            var batches = RetryChecks.ByBatch(failed, protocol);
            output.WriteLine($"{protocol}: {batches.Count} batches, attempts per batch {string.Join(",", batches.Select(b => b.Count))}");
            RetryChecks.AssertBoundedAndSpaced(batches, protocol, minimumRetries: 3);
            Assert.True(batches.Count >= 3, $"{protocol}: {batches.Count} batches");
            Assert.All(batches, b => Assert.Equal(RetryChecks.MaxAttemptsPerBatch, b.Count));
            Assert.All(batches.SelectMany(b => b).Where(a => !RetryChecks.IsBodiless(a)), a => Assert.Equal(answer, a.Answer));
        }

        Assert.Equal(new SpanCounts(5, 30), await ServerProbe.SpanCountsAsync(http.Client));
        Assert.Equal(new SpanCounts(5, 30), await ServerProbe.SpanCountsAsync(grpc.Client));

        // The backend recovers; nobody touches the servers.
        failing.Fault = OtlpFault.None;
        await Latency.InterleavedAsync(20, Path, http.Client, grpc.Client);
        Assert.Equal(new SpanCounts(25, 30), await ServerProbe.WaitForSpanCountsAsync(http.Client, c => c.Settled >= 55, TimeSpan.FromSeconds(20)));
        Assert.Equal(new SpanCounts(25, 30), await ServerProbe.WaitForSpanCountsAsync(grpc.Client, c => c.Settled >= 55, TimeSpan.FromSeconds(20)));

        foreach (var (server, description) in new[] { (http, "Service Unavailable"), (grpc, "Unavailable") })
        {
            Assert.Equal(0, await server.StopAsync());
            var lines = server.Process.StandardOutput.Split('\n').Where(l => l.Contains("Span export to")).ToList();
            Assert.Equal(2, lines.Count);
            Assert.Contains("failed", lines[0]);
            Assert.Contains(description, lines[0], StringComparison.OrdinalIgnoreCase);
            Assert.Contains("recovered after", lines[1]);
        }
    }
}
