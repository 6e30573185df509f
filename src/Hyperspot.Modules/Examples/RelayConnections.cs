using System.Net.Sockets;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Examples;

/// <summary>
/// The relay's connections. Redirects are not followed (a 3xx is the call's answer), no proxy is used, and every
/// connection is checked against <c>relay_allowed_hosts</c> when it is opened, whatever asked for it: the request
/// URL is checked before any call too, but the connection is the one place no future redirect, proxy or code path
/// can go around.
/// </summary>
public static class RelayConnections
{
    public static SocketsHttpHandler CreateHandler(RelayHosts hosts, TimeSpan connectTimeout) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = connectTimeout,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            if (!hosts.Allows(host))
            {
                throw new RelayHostRefusedException(host);
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

/// <summary>A relay connection to a host outside <c>relay_allowed_hosts</c> was refused before it was opened.</summary>
public sealed class RelayHostRefusedException(string host)
    : Exception($"host '{host}' is not in {RelayHosts.ConfigPath}")
{
    public string Host { get; } = host;
}
