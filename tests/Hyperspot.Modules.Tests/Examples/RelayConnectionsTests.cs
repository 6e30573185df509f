using System.Net;
using Hyperspot.Modules.Examples;

namespace Hyperspot.Modules.Tests.Examples;

/// <summary>The relay's handler: the allow-list holds at connect time, and redirects are answers, not hops.</summary>
[Collection(SpanCollection.Name)]
public sealed class RelayConnectionsTests
{
    [Fact]
    public async Task A_host_outside_the_list_is_refused_before_any_connection()
    {
        using var server = new LoopbackServer();
        using var client = new HttpClient(RelayConnections.CreateHandler(new RelayHosts(["localhost"]), TimeSpan.FromSeconds(10)));

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(server.Url("/x")));

        var refused = Assert.IsType<RelayHostRefusedException>(failure.InnerException);
        Assert.Equal("host '127.0.0.1' is not in modules.examples.config.relay_allowed_hosts", refused.Message);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task An_allowed_host_is_reached_and_its_redirect_is_the_answer()
    {
        using var target = new LoopbackServer();
        using var redirecting = new LoopbackServer(307, location: target.Url("/moved"));
        using var client = new HttpClient(RelayConnections.CreateHandler(new RelayHosts(["127.0.0.1"]), TimeSpan.FromSeconds(10)));

        using var response = await client.PostAsync(redirecting.Url("/start"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(["POST /start"], redirecting.Received.Select(r => $"{r.Method} {r.Path}"));
        Assert.Empty(target.Received);
    }

    [Theory]
    [InlineData("http://[::1]:8/", true)]
    [InlineData("http://LocalHost:8/", true)]
    [InlineData("http://127.0.0.2:8/", false)]
    [InlineData("http://localhost.:8/", false)]
    [InlineData("http://xn--bcher-kva.example/", true)]
    public void Hosts_match_without_case_brackets_or_punycode_differences(string url, bool allowed)
    {
        var hosts = new RelayHosts([.. ExamplesOptions.LoopbackHosts, "bücher.example"]);

        Assert.Equal(allowed, hosts.Allows(new Uri(url)));
    }
}
