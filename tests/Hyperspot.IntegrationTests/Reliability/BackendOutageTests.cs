using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;
using Xunit.Abstractions;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>A real backend of its own (API-key mode), stopped and started again while servers export to it.</summary>
public sealed class OutageBackendFixture : IAsyncLifetime
{
    public const string Key = "outage-k3y-value";

    public AspireDashboard Backend { get; private set; } = null!;

    public async Task InitializeAsync() => Backend = await AspireDashboard.StartAsync(new AspireDashboardOptions { ApiKey = Key });

    public async Task DisposeAsync() => await Backend.DisposeAsync();
}

/// <summary>The backend goes away and comes back; the backend refuses the API key.</summary>
public sealed class BackendOutageTests(OutageBackendFixture fixture, ITestOutputHelper output) : IClassFixture<OutageBackendFixture>
{
    private const string Path = "/examples/v1/upstream/data";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private AspireDashboard Backend => fixture.Backend;

    /// <summary>
    /// Two servers ride out the same outage. The gRPC one exports every 300 ms, so batches made while the backend is
    /// away are tried, fail, and are counted as dropped (unless a retry lands after the restart); the HTTP one only
    /// exports full batches of 20, so what it made while the backend was away waits in the bounded queue and is
    /// delivered after the restart. Either way every request's span is delivered or counted as dropped, and export
    /// resumes without anyone touching the servers.
    /// </summary>
    [Fact]
    public async Task Export_resumes_by_itself_after_a_restart_and_every_span_is_delivered_or_counted_dropped()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string[] headers = [$"x-otlp-api-key: \"{OutageBackendFixture.Key}\""];
        var servers = await Task.WhenAll(
            TestServer.StartAsync(ReliabilityConfig.Yaml(Backend.OtlpGrpcEndpoint.ToString(), "otlp_grpc", timeoutMs: 2000, exporterHeaders: headers,
                batch: ["scheduled_delay_ms: 300"])),
            TestServer.StartAsync(ReliabilityConfig.Yaml(Backend.OtlpHttpEndpoint.ToString(), "otlp_http", timeoutMs: 2000, exporterHeaders: headers,
                batch: ["scheduled_delay_ms: 600000", "max_export_batch_size: 20", "max_queue_size: 100"])));
        await using var eager = servers[0];
        await using var batching = servers[1];

        // Before: everything arrives.
        var eagerBefore = await SendAsync(eager, 20);
        var batchingBefore = await SendAsync(batching, 20);
        await WaitForTracesAsync(eager, eagerBefore);
        await WaitForTracesAsync(batching, batchingBefore);

        // Outage: the backend process is killed.
        output.WriteLine($"{clock.Elapsed}: stopping the backend");
        await Backend.StopAsync();
        var eagerDuring = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            eagerDuring.AddRange(await SendAsync(eager, 2));
            await Task.Delay(100);
        }

        var batchingDuring = await SendAsync(batching, 10);
        await ServerProbe.WaitForSpanCountsAsync(eager.Client, c => c.Dropped > 0, Wait);
        Assert.Equal(new SpanCounts(20, 0), await ServerProbe.SpanCountsAsync(batching.Client));

        // The backend comes back (empty: it keeps telemetry in memory only); nobody touches the servers.
        output.WriteLine($"{clock.Elapsed}: starting the backend again");
        await Backend.StartAgainAsync();
        output.WriteLine($"{clock.Elapsed}: backend running again");
        var eagerAfter = await SendAsync(eager, 20);
        var batchingAfter = await SendAsync(batching, 10);

        await WaitForTracesAsync(eager, eagerAfter);
        await WaitForTracesAsync(batching, [.. batchingDuring, .. batchingAfter]);
        var eagerCounts = await ServerProbe.WaitForSpanCountsAsync(eager.Client, c => c.Settled >= 60, Wait);
        var batchingCounts = await ServerProbe.WaitForSpanCountsAsync(batching.Client, c => c.Settled >= 40, Wait);
        var received = (await Backend.GetSpansAsync()).Where(s => s.ServiceName == eager.ServiceName).Select(s => s.TraceId).ToHashSet();
        var deliveredDuring = eagerDuring.Count(received.Contains);
        output.WriteLine($"gRPC server: {eagerCounts}, {deliveredDuring} of the 20 spans made during the outage delivered after it");

        output.WriteLine($"{clock.Elapsed}: all settled");
        Assert.Equal(60, eagerCounts.Settled);
        Assert.True(eagerCounts.Dropped > 0);
        Assert.Equal(20, deliveredDuring + eagerCounts.Dropped);
        Assert.Equal(20 + deliveredDuring + 20, eagerCounts.Exported);
        Assert.Equal(new SpanCounts(40, 0), batchingCounts);

        Assert.Equal(0, await eager.StopAsync());
        Assert.Equal(0, await batching.StopAsync());
        var console = eager.Process.StandardOutput;
        Assert.Single(Lines(console, "Span export to"), l => l.Contains(" WRN "));
        Assert.Single(Lines(console, "Span export to"), l => l.Contains(" INF ") && l.Contains("recovered after"));
        Assert.Empty(Lines(batching.Process.StandardOutput, "Span export to"));
    }

    /// <summary>
    /// A wrong or missing API key: several batches are refused over a few seconds, and the server says so in one
    /// warning (the interval is 30 s), while <c>/health</c> counts every refused span.
    /// </summary>
    [Fact]
    public async Task A_refused_api_key_is_reported_once_per_interval_however_many_batches_fail()
    {
        var servers = await Task.WhenAll(
            TestServer.StartAsync(ReliabilityConfig.Yaml(Backend.OtlpGrpcEndpoint.ToString(), "otlp_grpc", timeoutMs: 2000,
                exporterHeaders: ["x-otlp-api-key: \"not-the-right-key\""], batch: ["scheduled_delay_ms: 200"])),
            TestServer.StartAsync(ReliabilityConfig.Yaml(Backend.OtlpHttpEndpoint.ToString(), "otlp_http", timeoutMs: 2000,
                batch: ["scheduled_delay_ms: 200"])));
        await using var wrongKey = servers[0];
        await using var noKey = servers[1];

        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Three bursts, each exported (and refused, then retried twice and dropped) before the next one.
        for (var burst = 1; burst <= 3; burst++)
        {
            await Task.WhenAll(SendAsync(wrongKey, 10), SendAsync(noKey, 10));
            await Task.WhenAll(
                ServerProbe.WaitForSpanCountsAsync(wrongKey.Client, c => c.Dropped >= burst * 10, Wait),
                ServerProbe.WaitForSpanCountsAsync(noKey.Client, c => c.Dropped >= burst * 10, Wait));
        }

        output.WriteLine($"{clock.Elapsed}: three bursts refused");
        Assert.Equal(new SpanCounts(0, 30), await ServerProbe.SpanCountsAsync(wrongKey.Client));
        Assert.Equal(new SpanCounts(0, 30), await ServerProbe.SpanCountsAsync(noKey.Client));
        foreach (var server in new[] { wrongKey, noKey })
        {
            Assert.Equal(0, await server.StopAsync());
            var warning = Assert.Single(Lines(server.Process.StandardOutput, "Span export to"));
            Assert.Contains("refused the export", warning);
            Assert.DoesNotContain("not-the-right-key", server.Process.StandardOutput + File.ReadAllText(server.LogFile));
        }

        Assert.DoesNotContain(await Backend.GetSpansAsync(), s => s.ServiceName == wrongKey.ServiceName || s.ServiceName == noKey.ServiceName);
    }

    private static IEnumerable<string> Lines(string text, string containing) =>
        text.Split('\n').Where(l => l.Contains(containing, StringComparison.Ordinal));

    /// <summary>Sends <paramref name="count"/> requests, each starting its own trace, and returns their trace ids.</summary>
    private static async Task<List<string>> SendAsync(TestServer server, int count)
    {
        var traceIds = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var traceId = W3C.NewTraceId();
            using var request = new HttpRequestMessage(HttpMethod.Get, Path);
            request.Headers.Add("traceparent", W3C.Traceparent(traceId, W3C.NewSpanId()));
            using var response = await server.Client.SendAsync(request);
            Assert.Equal(200, (int)response.StatusCode);
            traceIds.Add(traceId);
        }

        return traceIds;
    }

    private Task WaitForTracesAsync(TestServer server, IReadOnlyCollection<string> traceIds) =>
        Backend.WaitForSpansAsync(
            all => traceIds.All(id => all.Any(s => s.TraceId == id && s.ServiceName == server.ServiceName)),
            Wait);
}
