using System.Net;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Modules;

/// <summary>A failed outgoing call, as the trace viewer shows it.</summary>
[Collection(BackendCollection.Name)]
public sealed class ClientSpanExceptionTests(BackendFixture fixture)
{
    [Fact]
    public async Task A_call_that_cannot_connect_has_one_exception_event()
    {
        var closedPort = FreePorts.Pick();
        var yaml = Configs.Tracing(fixture.Backend.OtlpGrpcEndpoint.ToString())
            + $"\nmodules:\n  examples:\n    config:\n      external_base_url: \"http://127.0.0.1:{closedPort}/api\"\n";
        await using var server = await TestServer.StartAsync(yaml);
        var traceId = W3C.NewTraceId();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/examples/v1/users/42");
        request.Headers.Add("traceparent", W3C.Traceparent(traceId, W3C.NewSpanId(), sampled: true));
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);

        var spans = await fixture.Backend.WaitForTraceAsync(traceId, 3, TimeSpan.FromSeconds(20));
        var client = Assert.Single(spans, s => s.Kind == SpanKinds.Client);
        Assert.Equal(SpanStatusCodes.Error, client.StatusCode);
        var exception = Assert.Single(client.Events, e => e.Name == "exception");
        Assert.Equal(typeof(HttpRequestException).FullName, exception.Attribute("exception.type"));
        Assert.Single(spans.Single(s => s.Name == "process_user").Events, e => e.Name == "exception");
    }
}
