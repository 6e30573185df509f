using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hyperspot.IntegrationTests.Support;

namespace Hyperspot.IntegrationTests.Modules;

/// <summary>Hostile relay targets against the real server: redirects, silence, endless and oversized answers.</summary>
public sealed class RelayUpstreamTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_redirect_to_a_refused_host_is_not_followed()
    {
        // localhost is allowed, 127.0.0.1 is not: the allowed host answers 307 to the refused one.
        await using var refused = new ScriptedUpstream(UpstreamBehaviour.Ok);
        await using var redirecting = new ScriptedUpstream(UpstreamBehaviour.Redirect, redirectTo: refused.Url("/stolen"));
        await using var server = await TestServer.StartAsync(ExamplesConfigs.Relay("      relay_allowed_hosts: [\"localhost\"]"));

        using var response = await server.Client.PostAsJsonAsync("/examples/v1/relay", new[] { new { url = redirecting.Url("/start", "localhost"), arguments = new { a = 1 } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal([307], answer.GetProperty("statuses").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal(["POST /start HTTP/1.1"], redirecting.RequestLines);
        Assert.Equal(0, refused.Connections);
        Assert.Empty(refused.RequestLines);
    }

    [Fact]
    public async Task A_silent_target_is_a_504_naming_its_url_with_secrets_masked()
    {
        await using var silent = new ScriptedUpstream(UpstreamBehaviour.Silent);
        await using var never = new CapturingServer();
        await using var server = await TestServer.StartAsync(ExamplesConfigs.Relay("      call_timeout_ms: 1000"));
        var secretUrl = $"http://relay-user:hunter22@127.0.0.1:{silent.Port}/slow?api_token=abc123";

        using var cts = new CancellationTokenSource(Deadline);
        using var response = await server.Client.PostAsJsonAsync(
            "/examples/v1/relay",
            new[] { new { url = secretUrl, arguments = (object)1 }, new { url = never.Url("/after"), arguments = (object)2 } },
            cts.Token);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains($"127.0.0.1:{silent.Port}/slow", detail);
        Assert.Contains("call_timeout_ms (1000 ms)", detail);
        Assert.DoesNotContain("hunter22", detail);
        Assert.DoesNotContain("abc123", detail);
        Assert.Equal(32, problem.GetProperty("trace_id").GetString()!.Length);
        Assert.Equal(response.Headers.GetValues("x-request-id").Single(), problem.GetProperty("request_id").GetString());
        Assert.Empty(never.Requests);
    }

    [Theory]
    [InlineData(UpstreamBehaviour.EndlessBody, "longer than modules.examples.config.max_response_bytes (65536 bytes)")]
    [InlineData(UpstreamBehaviour.HugeContentLength, "declared 1000000000000 bytes, more than modules.examples.config.max_response_bytes (65536 bytes)")]
    public async Task An_oversized_answer_is_cut_at_the_limit_and_the_limit_is_named(UpstreamBehaviour behaviour, string error)
    {
        await using var hostile = new ScriptedUpstream(behaviour);
        await using var next = new CapturingServer();
        await using var server = await TestServer.StartAsync(ExamplesConfigs.Relay("      max_response_bytes: 65536"));

        using var cts = new CancellationTokenSource(Deadline);
        using var response = await server.Client.PostAsJsonAsync(
            "/examples/v1/relay",
            new[] { new { url = hostile.Url("/big"), arguments = (object)1 }, new { url = next.Url("/next"), arguments = (object)2 } },
            cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal([0, 200], answer.GetProperty("statuses").EnumerateArray().Select(s => s.GetInt32()));
        var failed = Assert.Single(answer.GetProperty("errors").EnumerateArray());
        Assert.Equal(0, failed.GetProperty("call").GetInt32());
        Assert.Equal(hostile.Url("/big"), failed.GetProperty("url").GetString());
        Assert.Contains(error, failed.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_silent_upstream_of_users_is_a_504_too()
    {
        await using var silent = new ScriptedUpstream(UpstreamBehaviour.Silent);
        await using var server = await TestServer.StartAsync(ExamplesConfigs.Relay("      call_timeout_ms: 1000").Replace("external_base_url: \"\"", $"external_base_url: \"{silent.Url("/api")}\""));

        using var cts = new CancellationTokenSource(Deadline);
        using var response = await server.Client.GetAsync("/examples/v1/users/42", cts.Token);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains($"127.0.0.1:{silent.Port}/api/users/42 did not answer within modules.examples.config.call_timeout_ms (1000 ms)", await response.Content.ReadAsStringAsync());
    }
}
