using Hyperspot.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>What the export attempts recorded by a <see cref="FaultyOtlpEndpoint"/> must look like under bounded retries.</summary>
internal static class RetryChecks
{
    /// <summary>First try + 2 retries (BoundedBatchExportProcessor waits 250 ms, then 1000 ms).</summary>
    public const int MaxAttemptsPerBatch = 3;

    /// <summary>
    /// Groups the attempts by batch (a retried batch is the same bytes) and checks that no batch was sent more than
    /// three times and that retries waited at least the back-off after the previous attempt ended. An attempt whose
    /// body never arrived (the connection failed under it, which a busy machine sometimes does to a reused
    /// connection) has no bytes to group by: it belongs to the batch of the attempt after it, its retry.
    /// </summary>
    public static List<List<ExportAttempt>> ByBatch(IEnumerable<ExportAttempt> attempts, string protocol)
    {
        var byHash = new Dictionary<string, List<ExportAttempt>>();
        var bodiless = new List<ExportAttempt>();
        foreach (var attempt in attempts.Where(a => a.Protocol == protocol).OrderBy(a => a.Received))
        {
            if (IsBodiless(attempt))
            {
                bodiless.Add(attempt);
                continue;
            }

            if (!byHash.TryGetValue(attempt.BodyHash, out var batch))
            {
                byHash[attempt.BodyHash] = batch = [];
            }

            batch.AddRange(bodiless);
            bodiless.Clear();
            batch.Add(attempt);
        }

        var batches = byHash.Values.ToList();
        if (bodiless.Count > 0)
        {
            batches.Add(bodiless);
        }
        foreach (var batch in batches)
        {
            Assert.True(batch.Count <= MaxAttemptsPerBatch, $"{protocol}: one batch was sent {batch.Count} times");
            TimeSpan[] backoff = [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(1000)];
            for (var i = 1; i < batch.Count; i++)
            {
                var gap = batch[i].Received - (batch[i - 1].Received + batch[i - 1].Duration);
                Assert.True(gap >= backoff[i - 1] - TimeSpan.FromMilliseconds(50), $"{protocol}: retry {i} came {gap.TotalMilliseconds:0} ms after the previous attempt ended");
            }
        }

        return batches;
    }

    /// <summary>True for an attempt the endpoint saw begin but whose body never arrived.</summary>
    public static bool IsBodiless(ExportAttempt attempt) => attempt.ClientAborted && attempt.BodyLength == 0;
}

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

        // A window long enough for the first batches to go through all their attempts.
        await slow.WaitForAttemptsAsync(a => a.Protocol == "http", 6, TimeSpan.FromSeconds(30));
        await slow.WaitForAttemptsAsync(a => a.Protocol == "grpc", 6, TimeSpan.FromSeconds(30));
        var attempts = slow.Attempts;

        foreach (var protocol in new[] { "http", "grpc" })
        {
            var batches = RetryChecks.ByBatch(attempts, protocol);
            Assert.Contains(batches, b => b.Count == RetryChecks.MaxAttemptsPerBatch);
            // The exporter gave up on every attempt, never later than timeout_ms (plus scheduling slack). The endpoint's
            // clock starts when the request has arrived, after the exporter's (connecting can take a while on a busy
            // machine), so single attempts may look shorter; typically they last the whole timeout.
            var durations = attempts.Where(a => a.Protocol == protocol).Select(a => a.Duration).ToList();
            Assert.All(attempts.Where(a => a.Protocol == protocol), a => Assert.True(a.ClientAborted, $"{protocol}: the exporter waited for an answer ({a.Answer})"));
            Assert.All(durations, d => Assert.True(d < TimeSpan.FromMilliseconds(TimeoutMs + 1500), $"{protocol}: an attempt was held {d.TotalMilliseconds:0} ms"));
            Assert.True(ServerProbe.Percentile(durations, 50) >= TimeSpan.FromMilliseconds(TimeoutMs * 0.6), $"{protocol}: attempts gave up early: {string.Join(", ", durations.Select(d => d.TotalMilliseconds.ToString("0")))} ms");

            output.WriteLine($"{protocol}: {batches.Count} batches, {batches.Sum(b => b.Count)} attempts, durations " +
                string.Join(", ", attempts.Where(a => a.Protocol == protocol).Select(a => $"{a.Duration.TotalMilliseconds:0}")));
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
        await using var failing = await FaultyOtlpEndpoint.StartAsync(OtlpFault.Unavailable);
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
        var failed = failing.Attempts;
        foreach (var (protocol, answer) in new[] { ("http", "503"), ("grpc", "200/14") })
        {
            var batches = RetryChecks.ByBatch(failed, protocol);
            output.WriteLine($"{protocol}: {batches.Count} batches, attempts per batch {string.Join(",", batches.Select(b => b.Count))}");
            Assert.True(batches.Count >= 3, $"{protocol}: {batches.Count} batches");
            Assert.All(batches, b => Assert.Equal(RetryChecks.MaxAttemptsPerBatch, b.Count));
            Assert.All(batches.SelectMany(b => b).Where(a => !RetryChecks.IsBodiless(a)), a => Assert.Equal(answer, a.Answer));
        }

        Assert.Equal(new SpanCounts(0, 30), await ServerProbe.SpanCountsAsync(http.Client));
        Assert.Equal(new SpanCounts(0, 30), await ServerProbe.SpanCountsAsync(grpc.Client));

        // The backend recovers; nobody touches the servers.
        failing.Fault = OtlpFault.None;
        await Latency.InterleavedAsync(20, Path, http.Client, grpc.Client);
        Assert.Equal(new SpanCounts(20, 30), await ServerProbe.WaitForSpanCountsAsync(http.Client, c => c.Settled >= 50, TimeSpan.FromSeconds(20)));
        Assert.Equal(new SpanCounts(20, 30), await ServerProbe.WaitForSpanCountsAsync(grpc.Client, c => c.Settled >= 50, TimeSpan.FromSeconds(20)));

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
