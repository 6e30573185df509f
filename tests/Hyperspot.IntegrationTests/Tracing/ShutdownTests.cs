using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Tracing;

/// <summary>Spans of requests that completed before SIGTERM reach the backend before the process exits.</summary>
[Collection(BackendCollection.Name)]
public sealed class ShutdownTests(BackendFixture fixture)
{
    private AspireDashboard Backend => fixture.Backend;

    [Theory]
    [InlineData("otlp_grpc")]
    [InlineData("otlp_http")]
    public async Task Sigterm_right_after_a_burst_delivers_every_server_span(string kind)
    {
        const int requests = 60;
        var endpoint = kind == "otlp_grpc" ? Backend.OtlpGrpcEndpoint.ToString() : Backend.OtlpHttpEndpoint.ToString();
        // A long export delay: only the shutdown flush can deliver these spans in time.
        await using var server = await TestServer.StartAsync(Configs.Tracing(endpoint, kind, extraTracing: "batch:\n  scheduled_delay_ms: 60000"));

        await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
        {
            using var response = await server.Client.GetAsync($"/examples/v1/upstream/users/{i}");
            Assert.True(response.IsSuccessStatusCode);
        }));
        var started = DateTime.UtcNow;
        Assert.Equal(0, await server.StopAsync(TimeSpan.FromSeconds(15)));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the server took too long to stop");
        var spans = (await Backend.GetSpansAsync()).Where(s => s.ServiceName == server.ServiceName && s.Kind == SpanKinds.Server).ToList();
        Assert.Equal(requests, spans.Count);
        Assert.Equal(requests, spans.Select(s => s.TraceId).Distinct().Count());
    }

    [Fact]
    public async Task Ctrl_c_stops_the_server_cleanly_and_flushes_too()
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString(), extraTracing: "batch:\n  scheduled_delay_ms: 60000"));
        using (var response = await server.Client.GetAsync("/examples/v1/users/7"))
        {
            Assert.True(response.IsSuccessStatusCode);
        }

        server.Process.Interrupt();
        Assert.Equal(0, await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(4, (await Backend.GetSpansAsync()).Count(s => s.ServiceName == server.ServiceName));
    }
}
