using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// Where the server listens, from <c>server.host</c>: explicit addresses, never a string for Kestrel to interpret
/// (Kestrel reads a host it cannot parse as "every interface"). Accepted: an IPv4 address in dotted decimal, an IPv6
/// address (brackets optional), <c>localhost</c> (the loopback addresses), or a host name that resolves within
/// <see cref="ConfigurationLimits.HostResolutionTimeout"/>. A name that resolves to several addresses is listened on
/// at one of them, the first IPv4 address (else the first), as Go, Node.js and Python servers do: a machine's own
/// name often resolves to every address it has, and every interface is bound only when the value says so in so
/// many words: <c>0.0.0.0</c>, <c>::</c> or <c>[::]</c>.
/// </summary>
public sealed partial class ListenHost
{
    private ListenHost(string configured, IReadOnlyList<IPAddress> addresses, bool isLocalhost = false, bool allInterfaces = false, IReadOnlyList<IPAddress>? notUsed = null)
    {
        Configured = configured;
        Addresses = addresses;
        NotUsed = notUsed ?? [];
        IsLocalhost = isLocalhost;
        AllInterfaces = allInterfaces;
    }

    /// <summary>The default, <c>127.0.0.1</c>.</summary>
    public static ListenHost Loopback { get; } = new("127.0.0.1", [IPAddress.Loopback]);

    /// <summary>The value as the configuration gives it.</summary>
    public string Configured { get; }

    /// <summary>The addresses to listen on (for <c>localhost</c>, 127.0.0.1 and ::1).</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>The other addresses a host name resolved to, not listened on.</summary>
    public IReadOnlyList<IPAddress> NotUsed { get; }

    /// <summary><c>localhost</c>: the loopback addresses, IPv4 and IPv6, where the system has them.</summary>
    public bool IsLocalhost { get; }

    /// <summary><c>0.0.0.0</c>, <c>::</c> or <c>[::]</c>: every interface, as the configuration asked in so many words.</summary>
    public bool AllInterfaces { get; }

    /// <summary>Looks up a host name's addresses; a parameter so tests can stand in for a slow or failing DNS.</summary>
    public delegate Task<IPAddress[]> Lookup(string name, CancellationToken cancellationToken);

    public static readonly Lookup SystemLookup = (name, cancellationToken) => Dns.GetHostAddressesAsync(name, cancellationToken);

    /// <summary>The host to listen on, or the reason <paramref name="value"/> cannot be one (a message for <c>server.host</c>).</summary>
    public static (ListenHost? Host, string? Error) Parse(string value, Lookup lookup, TimeSpan timeout)
    {
        var host = value.Trim();
        var shown = ShownValue.Of("server.host", host);
        switch (host)
        {
            case "":
                return (null, "must not be empty");
            case "0.0.0.0":
                return (new ListenHost(host, [IPAddress.Any], allInterfaces: true), null);
            case "::" or "[::]":
                return (new ListenHost(host, [IPAddress.IPv6Any], allInterfaces: true), null);
            case "*" or "+":
                return (null, $"'{shown}' is not an address; write 0.0.0.0 (or ::) to listen on every interface");
        }

        if (host.Contains('/') || host.Contains('@'))
        {
            return (null, $"must be an IP address or a host name, not a URL (got '{shown}'); the port goes in server.port");
        }

        var unbracketed = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (unbracketed.Contains(':'))
        {
            return IPAddress.TryParse(unbracketed, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 && !unbracketed.Contains('[') && !unbracketed.Contains(']')
                ? Literal(host, v6)
                : (null, $"'{shown}' is not an IP address or a host name (an IPv6 address such as ::1, or a host without a port: the port goes in server.port)");
        }

        if (DottedNumbers().IsMatch(host))
        {
            return DottedQuad().IsMatch(host) && IPAddress.TryParse(host, out var v4)
                ? Literal(host, v4)
                : (null, $"'{shown}' is not a valid IPv4 address (four numbers from 0 to 255 without leading zeros, such as 127.0.0.1)");
        }

        if (!HostName().IsMatch(host) || host.Length > 254)
        {
            return (null, $"'{shown}' is neither an IP address nor a host name");
        }

        if (host.TrimEnd('.').Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return (new ListenHost(host, [IPAddress.Loopback, IPAddress.IPv6Loopback], isLocalhost: true), null);
        }

        return Resolve(host, shown, lookup, timeout);
    }

    private static (ListenHost?, string?) Literal(string host, IPAddress address)
    {
        var unspecified = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || (address.IsIPv4MappedToIPv6 && address.MapToIPv4().Equals(IPAddress.Any));
        return unspecified
            ? (null, $"'{ShownValue.Of("server.host", host)}' means every interface: write 0.0.0.0 or :: to listen on every interface")
            : (new ListenHost(host, [address]), null);
    }

    private static (ListenHost?, string?) Resolve(string host, string shown, Lookup lookup, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource();
        var seconds = timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        IPAddress[] addresses;
        try
        {
            var pending = lookup(host, cancellation.Token);
            if (!pending.Wait(timeout))
            {
                cancellation.Cancel();
                return (null, $"could not resolve '{shown}' within {seconds} s (the DNS did not answer); use an IP address or a name that resolves");
            }

            addresses = pending.Result;
        }
        catch (Exception ex) when ((ex is AggregateException { InnerException: { } inner } ? inner : ex) is SocketException or ArgumentException or OperationCanceledException)
        {
            var reason = (ex is AggregateException { InnerException: { } cause } ? cause : ex).Message;
            return (null, $"cannot resolve '{shown}' ({ShownValue.Of("", reason)}); use an IP address or a name that resolves");
        }

        var distinct = addresses.Distinct().ToList();
        if (distinct.Count == 0)
        {
            return (null, $"'{shown}' resolves to no address; use an IP address or a name that resolves");
        }

        if (distinct.FirstOrDefault(a => a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any)) is { } any)
        {
            return (null, $"'{shown}' resolves to {any}, which means every interface: write 0.0.0.0 or :: if that is what you want");
        }

        var chosen = distinct.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? distinct[0];
        return (new ListenHost(host, [chosen], notUsed: distinct.Where(a => !a.Equals(chosen)).ToList()), null);
    }

    /// <summary>Only digits and dots: meant as an IPv4 address, whatever the system's parser would make of it.</summary>
    [GeneratedRegex(@"^[0-9.]+$")]
    private static partial Regex DottedNumbers();

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$")]
    private static partial Regex DottedQuad();

    /// <summary>Labels of letters, digits, '-' and '_' (container names use it), the last one starting with a letter (so <c>0x7f</c> or <c>1.2.3</c> are not names).</summary>
    [GeneratedRegex(@"^([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$")]
    private static partial Regex HostName();
}
