using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Tests.Support;

namespace Hyperspot.Server.Tests.Configuration;

/// <summary>
/// <c>server.host</c> is an IP address or a name that resolves, and every interface only when it says so: a typo
/// used to pass <c>check</c> and make the server listen on every interface.
/// </summary>
public class ServerHostTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("not a host!!", "server.host: 'not a host!!' is neither an IP address nor a host name")]
    [InlineData("locahost.invalid", "server.host: cannot resolve 'locahost.invalid'")]
    [InlineData("*", "server.host: '*' is not an address; write 0.0.0.0 (or ::) to listen on every interface")]
    [InlineData("+", "server.host: '+' is not an address")]
    [InlineData("1.2.3", "server.host: '1.2.3' is not a valid IPv4 address")]
    [InlineData("127.000.0.1", "server.host: '127.000.0.1' is not a valid IPv4 address")]
    [InlineData("256.1.1.1", "server.host: '256.1.1.1' is not a valid IPv4 address")]
    [InlineData("0x7f.1", "server.host: '0x7f.1' is neither an IP address nor a host name")]
    [InlineData("http://127.0.0.1", "server.host: must be an IP address or a host name, not a URL (got 'http://127.0.0.1')")]
    [InlineData("127.0.0.1:8080", "server.host: '127.0.0.1:8080' is not an IP address or a host name")]
    [InlineData("[::1", "server.host: '[::1' is not an IP address or a host name")]
    [InlineData("0:0::0", "server.host: '0:0::0' means every interface: write 0.0.0.0 or :: to listen on every interface")]
    [InlineData("::ffff:0.0.0.0", "server.host: '::ffff:0.0.0.0' means every interface")]
    [InlineData("   ", "server.host: must not be empty")]
    [InlineData("-leading-dash", "server.host: '-leading-dash' is neither an IP address nor a host name")]
    public void A_host_that_is_not_an_address_or_a_name_that_resolves_is_an_error_naming_it(string host, string expected)
    {
        var error = Config.Error($"server:\n  host: \"{host}\"\n");

        Assert.StartsWith(expected, error);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]", "::1")]
    [InlineData("10.1.2.3", "10.1.2.3")]
    public void An_ip_literal_is_listened_on_as_that_address_only(string host, string address)
    {
        var listen = Config.Read($"server:\n  host: \"{host}\"\n").Server.Listen;

        Assert.Equal([IPAddress.Parse(address)], listen.Addresses);
        Assert.False(listen.AllInterfaces);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("[::]")]
    public void Every_interface_only_when_the_configuration_says_so(string host)
    {
        var listen = Config.Read($"server:\n  host: \"{host}\"\n").Server.Listen;

        Assert.True(listen.AllInterfaces);
    }

    [Fact]
    public void Localhost_is_both_loopback_addresses()
    {
        var listen = Config.Read("server:\n  host: localhost\n").Server.Listen;

        Assert.True(listen.IsLocalhost);
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], listen.Addresses);
    }

    [Fact]
    public void A_dns_that_never_answers_is_an_error_after_the_timeout_not_a_hang()
    {
        var never = new TaskCompletionSource<IPAddress[]>();
        var clock = Stopwatch.StartNew();

        var (host, error) = ListenHost.Parse("api.internal", (_, _) => never.Task, TimeSpan.FromMilliseconds(200));

        Assert.Null(host);
        Assert.Equal("could not resolve 'api.internal' within 0.2 s (the DNS did not answer); use an IP address or a name that resolves", error);
        Assert.True(clock.Elapsed < Quick, $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_failing_lookup_is_an_error_with_its_reason()
    {
        var (host, error) = ListenHost.Parse("api.internal", (_, _) => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)), Quick);

        Assert.Null(host);
        Assert.StartsWith("cannot resolve 'api.internal' (", error);
    }

    [Fact]
    public void A_name_with_several_addresses_is_listened_on_at_its_first_ipv4_address_only()
    {
        IPAddress[] addresses = [IPAddress.Parse("fd00::5"), IPAddress.Parse("10.0.0.5"), IPAddress.Parse("192.168.1.5")];

        var (host, error) = ListenHost.Parse("api.internal", (_, _) => Task.FromResult(addresses), Quick);

        Assert.Null(error);
        Assert.Equal([IPAddress.Parse("10.0.0.5")], host!.Addresses);
        Assert.Equal([IPAddress.Parse("fd00::5"), IPAddress.Parse("192.168.1.5")], host.NotUsed);
        Assert.False(host.AllInterfaces);
    }

    [Fact]
    public void A_name_that_resolves_to_the_unspecified_address_is_an_error()
    {
        var (host, error) = ListenHost.Parse("blocked.example", (_, _) => Task.FromResult(new[] { IPAddress.Any }), Quick);

        Assert.Null(host);
        Assert.Equal("'blocked.example' resolves to 0.0.0.0, which means every interface: write 0.0.0.0 or :: if that is what you want", error);
    }
}
