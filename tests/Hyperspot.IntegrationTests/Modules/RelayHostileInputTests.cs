using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hyperspot.IntegrationTests.Support;

namespace Hyperspot.IntegrationTests.Modules;

/// <summary>
/// Bad relay bodies against the real server: each gets the 4xx a user can act on, as problem+json with
/// <c>trace_id</c> and <c>request_id</c> and a detail naming what is wrong, and no call is made.
/// </summary>
public sealed class RelayHostileInputTests
{
    private const string Json = "application/json";

    [Fact]
    public async Task Every_kind_of_bad_body_is_a_4xx_problem_naming_what_is_wrong()
    {
        await using var downstream = new CapturingServer();
        await using var server = await TestServer.StartAsync(ExamplesConfigs.Relay(""));
        var url = downstream.Url("/x");
        string Calls(int count) => "[" + string.Join(",", Enumerable.Repeat($"{{\"url\":\"{url}\",\"arguments\":1}}", count)) + "]";
        var cases = new (string Name, string? ContentType, string Body, HttpStatusCode Status, string Detail)[]
        {
            ("null entry", Json, "[null]", HttpStatusCode.BadRequest, "[0] must be an object"),
            ("url of the wrong type", Json, "[{\"url\":1,\"arguments\":1}]", HttpStatusCode.BadRequest, "[0].url must be a string"),
            ("url missing", Json, "[{\"arguments\":1}]", HttpStatusCode.BadRequest, "[0].url is missing"),
            ("arguments missing", Json, $"[{{\"url\":\"{url}\"}}]", HttpStatusCode.BadRequest, "[0].arguments is missing"),
            ("unknown property", Json, $"[{{\"url\":\"{url}\",\"arguments\":1,\"method\":\"DELETE\"}}]", HttpStatusCode.BadRequest, "unknown property \"method\""),
            ("an object, not an array", Json, "{\"url\":1}", HttpStatusCode.BadRequest, "got an object"),
            ("malformed JSON", Json, "[{\"url\":", HttpStatusCode.BadRequest, "not valid JSON"),
            ("empty body", Json, "", HttpStatusCode.BadRequest, "The body is empty"),
            ("too deep", Json, new string('[', 40) + new string(']', 40), HttpStatusCode.BadRequest, "nested deeper than 32 levels"),
            ("too many calls", Json, Calls(11), HttpStatusCode.BadRequest, "modules.examples.config.relay_max_calls allows at most 10"),
            ("not JSON", "text/plain", Calls(1), HttpStatusCode.UnsupportedMediaType, "must be application/json"),
            ("no content type", null, Calls(1), HttpStatusCode.UnsupportedMediaType, "content type: none"),
            ("over the size limit", Json, "[" + new string(' ', 70_000) + "]", HttpStatusCode.RequestEntityTooLarge, "relay_max_body_bytes (65536 bytes)"),
        };

        var failures = new List<string>();
        foreach (var (name, contentType, body, status, detail) in cases)
        {
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);
            using var response = await server.Client.PostAsync("/examples/v1/relay", content);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != status || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{name}: {(int)response.StatusCode} {response.Content.Headers.ContentType} {text}");
                continue;
            }

            var problem = JsonDocument.Parse(text).RootElement;
            if (!problem.GetProperty("detail").GetString()!.Contains(detail, StringComparison.Ordinal)
                || problem.GetProperty("trace_id").GetString()?.Length != 32
                || problem.GetProperty("request_id").GetString() != response.Headers.GetValues("x-request-id").Single())
            {
                failures.Add($"{name}: {text}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Empty(downstream.Requests);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused_with_413()
    {
        await using var server = await TestServer.StartAsync(ExamplesConfigs.Relay("      relay_max_body_bytes: 1024"));
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("[" + new string(' ', 5000) + "]")));
        content.Headers.ContentType = new MediaTypeHeaderValue(Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/examples/v1/relay") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("relay_max_body_bytes (1024 bytes)", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_call_cap_is_configurable_and_checked_at_start()
    {
        await using var downstream = new CapturingServer();
        await using (var server = await TestServer.StartAsync(ExamplesConfigs.Relay("      relay_max_calls: 2")))
        {
            var three = "[" + string.Join(",", Enumerable.Repeat($"{{\"url\":\"{downstream.Url("/x")}\",\"arguments\":1}}", 3)) + "]";
            using var response = await server.Client.PostAsync("/examples/v1/relay", new StringContent(three, Encoding.UTF8, Json));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("asks for 3 calls; modules.examples.config.relay_max_calls allows at most 2", await response.Content.ReadAsStringAsync());
            Assert.Empty(downstream.Requests);
        }

        await using var refused = await TestServer.StartAsync(ExamplesConfigs.Relay("      relay_max_calls: 0"), waitUntilReady: false);
        Assert.NotEqual(0, await refused.Process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("modules.examples.config.relay_max_calls: must be between 1 and 1000 (got 0)", refused.Process.StandardError + refused.Process.StandardOutput);
    }
}
