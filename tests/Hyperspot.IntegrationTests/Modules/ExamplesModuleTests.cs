using System.Net;
using System.Net.Http.Json;
using Hyperspot.IntegrationTests.Support;

namespace Hyperspot.IntegrationTests.Modules;

/// <summary>The examples module's upstream setting and the relay's host allow-list.</summary>
public sealed class ExamplesModuleTests
{
    private static string Config(string examples) => $$"""
        server:
          home_dir: "{home}"
          port: {port}
        logging:
          default:
            file: ""
        modules:
          examples:
            config:
        {{examples}}
        """;

    [Fact]
    public async Task External_base_url_is_where_users_and_data_are_fetched()
    {
        await using var upstream = new CapturingServer();
        await using var server = await TestServer.StartAsync(Config($"      external_base_url: \"{upstream.Url("/api")}\""));

        using (var response = await server.Client.GetAsync("/examples/v1/users/9"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var response = await server.Client.GetAsync("/examples/v1/data"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(["GET /api/users/9", "GET /api/data"], upstream.Requests.Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task Relay_refuses_hosts_outside_the_allow_list_and_calls_nothing()
    {
        await using var downstream = new CapturingServer();
        await using var server = await TestServer.StartAsync(Config("      relay_allowed_hosts: [\"localhost\"]"));

        using var refused = await server.Client.PostAsJsonAsync("/examples/v1/relay", new[]
        {
            new { url = "http://localhost:1/first", arguments = (object)new { } },
            new { url = downstream.Url("/by-ip"), arguments = (object)new { } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("relay_allowed_hosts", await refused.Content.ReadAsStringAsync());

        using var external = await server.Client.PostAsJsonAsync("/examples/v1/relay", new[] { new { url = "http://example.com/", arguments = new { } } });
        Assert.Equal(HttpStatusCode.BadRequest, external.StatusCode);
        using var notJson = await server.Client.PostAsync("/examples/v1/relay", new StringContent("{\"url\":1", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Empty(downstream.Requests);
    }

    [Fact]
    public async Task Relay_calls_each_url_in_order_by_default_on_loopback()
    {
        await using var downstream = new CapturingServer();
        await using var server = await TestServer.StartAsync(Config("      external_base_url: \"\""));

        using var response = await server.Client.PostAsJsonAsync("/examples/v1/relay", new[]
        {
            new { url = downstream.Url("/one"), arguments = (object)new[] { 1, 2 } },
            new { url = downstream.Url("/two"), arguments = (object)new { x = "y" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["POST /one [1,2]", "POST /two {\"x\":\"y\"}"], downstream.Requests.Select(r => $"{r.Method} {r.Path} {r.Body}"));
    }
}
