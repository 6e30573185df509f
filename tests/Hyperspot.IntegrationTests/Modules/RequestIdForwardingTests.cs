using System.Net;
using Hyperspot.IntegrationTests.Support;

namespace Hyperspot.IntegrationTests.Modules;

/// <summary>The request id travels with the outgoing calls made for a request, and a Hyperspot upstream adopts it.</summary>
public sealed class RequestIdForwardingTests
{
    [Fact]
    public async Task The_request_id_is_on_the_upstream_call()
    {
        await using var upstream = new CapturingServer();
        await using var server = await TestServer.StartAsync(
            ExamplesConfigs.Relay("").Replace("external_base_url: \"\"", $"external_base_url: \"{upstream.Url("/api")}\""));
        var requestId = "checkout-" + Guid.NewGuid().ToString("N")[..8];

        using var request = new HttpRequestMessage(HttpMethod.Get, "/examples/v1/users/42");
        request.Headers.Add("x-request-id", requestId);
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(upstream.Requests);
        Assert.Equal("/api/users/42", call.Path);
        Assert.Equal(requestId, call.Header("x-request-id"));
    }

    [Fact]
    public async Task A_hyperspot_upstream_logs_the_callers_request_id()
    {
        await using var upstream = await TestServer.StartAsync(ExamplesConfigs.Relay(""));
        await using var server = await TestServer.StartAsync(ExamplesConfigs.Relay("")
            .Replace("external_base_url: \"\"", $"external_base_url: \"http://127.0.0.1:{upstream.Port}/examples/v1/upstream\""));
        var requestId = "e2e-" + Guid.NewGuid().ToString("N");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/examples/v1/users/42");
        request.Headers.Add("x-request-id", requestId);
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(requestId, response.Headers.GetValues("x-request-id").Single());
        var lines = await LogFile.WaitForLinesAsync(upstream.LogFile, l => l.Any(x => x.Contains("HTTP GET /examples/v1/upstream/users/42 responded 200")));
        var served = Assert.Single(lines, l => l.Contains("HTTP GET /examples/v1/upstream/users/42 responded 200"));
        Assert.Contains($"request_id={requestId}", served);
    }
}
