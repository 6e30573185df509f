using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Hyperspot.Server.Telemetry.ExporterCheck;

/// <summary>The DNS and TCP steps of the check: the endpoint's host resolved, then one connection opened and closed.</summary>
public static class NetworkReach
{
    /// <summary>The addresses of <paramref name="host"/> (itself when it is an address), or the error, within <paramref name="budget"/>.</summary>
    public static async Task<(IPAddress[]? Addresses, Exception? Error, TimeSpan Elapsed)> ResolveAsync(string host, TimeSpan budget)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return ([address], null, TimeSpan.Zero);
        }

        var elapsed = Stopwatch.StartNew();
        using var cancel = new CancellationTokenSource(Positive(budget));
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancel.Token).WaitAsync(cancel.Token).ConfigureAwait(false);
            return addresses.Length == 0
                ? (null, new SocketException((int)SocketError.NoData), elapsed.Elapsed)
                : (addresses, null, elapsed.Elapsed);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ArgumentException)
        {
            return (null, ex, elapsed.Elapsed);
        }
    }

    /// <summary>Opens a TCP connection to the first of <paramref name="addresses"/> that accepts one, then closes it.</summary>
    public static async Task<(IPEndPoint? Connected, Exception? Error, TimeSpan Elapsed)> ConnectAsync(IPAddress[] addresses, int port, TimeSpan budget)
    {
        var elapsed = Stopwatch.StartNew();
        using var cancel = new CancellationTokenSource(Positive(budget));
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, cancel.Token).AsTask().WaitAsync(cancel.Token).ConfigureAwait(false);
            var connected = socket.RemoteEndPoint as IPEndPoint;
            return (connected is null ? null : new IPEndPoint(connected.Address.IsIPv4MappedToIPv6 ? connected.Address.MapToIPv4() : connected.Address, connected.Port), null, elapsed.Elapsed);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return (null, ex, elapsed.Elapsed);
        }
    }

    internal static TimeSpan Positive(TimeSpan budget) => budget > TimeSpan.FromMilliseconds(1) ? budget : TimeSpan.FromMilliseconds(1);
}
