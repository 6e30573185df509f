using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Metrics;

/// <summary>
/// Metrics as a user sees them in the viewer (the Aspire Dashboard): after requests to the example routes it lists
/// the server and client request durations by route, the runtime's and the examples module's own instruments, and a
/// duration's exemplar opens the trace of the request it measured. With <c>metrics.enabled: false</c> nothing arrives.
/// </summary>
[Collection(BackendCollection.Name)]
public sealed class MetricsExportTests(BackendFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    private AspireDashboard Backend => fixture.Backend;

    [Theory]
    [InlineData("otlp_grpc")]
    [InlineData("otlp_http")]
    public async Task The_viewer_lists_the_example_routes_durations_with_exemplars_that_open_their_trace(string kind)
    {
        var endpoint = kind == "otlp_grpc" ? Backend.OtlpGrpcEndpoint : Backend.OtlpHttpEndpoint;
        await using var server = await TestServer.StartAsync(MetricsConfigs.With(endpoint.ToString(), enabled: true, kind: kind));
        var traceId = W3C.NewTraceId();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/examples/v1/users/7"))
        {
            request.Headers.Add("traceparent", W3C.Traceparent(traceId, W3C.NewSpanId()));
            using var response = await server.Client.SendAsync(request);
            Assert.Equal(200, (int)response.StatusCode);
        }

        Assert.Equal(200, (int)(await server.Client.GetAsync("/examples/v1/data")).StatusCode);
        Assert.Equal(200, (int)(await server.Client.GetAsync("/health")).StatusCode);

        var metrics = await Backend.WaitForMetricsAsync(
            all => Has(all, server.ServiceName, "http.server.request.duration", s => s.Attribute("http.route") == "/examples/v1/data")
                && Has(all, server.ServiceName, "http.server.request.duration", s => s.Exemplars.Any(e => e.TraceId == traceId))
                && Has(all, server.ServiceName, "examples.users.fetched", s => s.Value >= 1)
                && Has(all, server.ServiceName, "examples.upstream.duration", s => s.Attribute("upstream.route") == "users")
                && Has(all, server.ServiceName, "http.client.request.duration", s => s.HistogramCount >= 2),
            Wait);
        var ours = metrics.Where(i => i.ServiceName == server.ServiceName).ToList();

        var serverDuration = Assert.Single(ours, i => i.Name == "http.server.request.duration");
        Assert.Equal(("Microsoft.AspNetCore.Hosting", "s"), (serverDuration.MeterName, serverDuration.Unit));
        var userRoute = Assert.Single(serverDuration.Series, s => s.Attribute("http.route") == "/examples/v1/users/{id}" && s.Attribute("http.request.method") == "GET");
        Assert.Equal("200", userRoute.Attribute("http.response.status_code"));
        Assert.Equal(SecondsBuckets, userRoute.ExplicitBounds);

        // The probes are neither traced nor measured.
        Assert.DoesNotContain(serverDuration.Series, s => s.Attribute("http.route") is "/health" or "/healthz");

        // The exemplar opens the trace of the request it measured, at the server span.
        var exemplar = serverDuration.Exemplars.First(e => e.TraceId == traceId);
        var trace = await Backend.WaitForTraceAsync(traceId, 3, Wait);
        var serverSpan = Assert.Single(trace, s => s.SpanId == exemplar.SpanId);
        Assert.Equal("Server", serverSpan.Kind, ignoreCase: true);

        var clientDuration = Assert.Single(ours, i => i.Name == "http.client.request.duration");
        Assert.Equal("System.Net.Http", clientDuration.MeterName);
        Assert.Equal(SecondsBuckets, clientDuration.Series[0].ExplicitBounds);
        Assert.Contains(ours, i => i.MeterName == "System.Runtime" && i.Name == "dotnet.gc.collections");
        Assert.Contains(ours, i => i.MeterName == "Microsoft.AspNetCore.Server.Kestrel" && i.Name == "kestrel.active_connections");

        var upstream = Assert.Single(ours, i => i.Name == "examples.upstream.duration");
        Assert.Equal(("Hyperspot.Modules.examples", "s"), (upstream.MeterName, upstream.Unit));
        Assert.Contains(upstream.Series, s => s.Attribute("upstream.route") == "data" && s.Attribute("outcome") == "ok");

        var health = await MetricsHealth.WaitAsync(server.Client, h => h.PointsExported > 0, Wait);
        Assert.True(health.BatchesExported > 0, health.ToString());
        Assert.Equal(0, health.ExportFailures);
    }

    [Fact]
    public async Task With_metrics_disabled_nothing_is_exported_and_health_has_no_metrics_block()
    {
        await using var server = await TestServer.StartAsync(MetricsConfigs.With(Backend.OtlpGrpcEndpoint.ToString(), enabled: false, intervalMs: 200));
        var traceId = W3C.NewTraceId();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/examples/v1/users/8"))
        {
            request.Headers.Add("traceparent", W3C.Traceparent(traceId, W3C.NewSpanId()));
            Assert.Equal(200, (int)(await server.Client.SendAsync(request)).StatusCode);
        }

        // The same backend receives the request's trace, so the exporter works; no metric arrives meanwhile nor in
        // the next 3 s (fifteen export intervals had metrics been on).
        await Backend.WaitForTraceAsync(traceId, 3, Wait);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(await Backend.GetMetricsAsync(), i => i.ServiceName == server.ServiceName);
        Assert.Null(await MetricsHealth.ReadAsync(server.Client));
    }

    [Fact]
    public async Task With_exemplars_off_the_durations_of_sampled_requests_carry_no_trace()
    {
        await using var server = await TestServer.StartAsync(MetricsConfigs.With(Backend.OtlpGrpcEndpoint.ToString(), enabled: true, exemplars: false));
        var traceId = W3C.NewTraceId();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/examples/v1/users/9"))
        {
            request.Headers.Add("traceparent", W3C.Traceparent(traceId, W3C.NewSpanId()));
            Assert.Equal(200, (int)(await server.Client.SendAsync(request)).StatusCode);
        }

        await Backend.WaitForTraceAsync(traceId, 3, Wait);
        var metrics = await Backend.WaitForMetricsAsync(
            all => Has(all, server.ServiceName, "http.server.request.duration", s => s.Attribute("http.route") == "/examples/v1/users/{id}")
                && Has(all, server.ServiceName, "http.client.request.duration", s => s.HistogramCount >= 1),
            Wait);

        Assert.DoesNotContain(metrics.Where(i => i.ServiceName == server.ServiceName), i => i.Exemplars.Any());
    }

    private static bool Has(IReadOnlyList<ReceivedInstrument> all, string service, string name, Func<ReceivedSeries, bool> series) =>
        all.Any(i => i.ServiceName == service && i.Name == name && i.Series.Any(series));
}
