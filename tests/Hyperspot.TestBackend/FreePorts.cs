using System.Net;
using System.Net.Sockets;

namespace Hyperspot.TestBackend;

/// <summary>
/// Loopback TCP ports for test servers to bind, picked below the kernel's ephemeral range.
/// </summary>
/// <remarks>
/// A port the kernel hands out for <c>bind(0)</c> comes from the ephemeral range, and so does the local port of every
/// outgoing connection. Between the pick and the server's own bind, any connection made by any process on the machine
/// (the tests' clients, the servers' exporters) may be given that port, and the server then fails with "address
/// already in use". Ports below the range are never handed out that way; only another explicit bind can take them,
/// which the probe catches, and picking at random keeps parallel test processes apart.
/// </remarks>
public static class FreePorts
{
    private const int LowestPort = 10_000;
    private const int Attempts = 200;
    private static readonly (int Low, int High) Ephemeral = ReadEphemeralRange();

    /// <summary>The kernel's ephemeral port range (Linux <c>ip_local_port_range</c>; the IANA range elsewhere).</summary>
    public static (int Low, int High) EphemeralRange => Ephemeral;

    /// <summary>One port on 127.0.0.1 that nothing listened on a moment ago.</summary>
    public static int Pick() => Pick(1)[0];

    /// <summary><paramref name="count"/> distinct ports on 127.0.0.1 that nothing listened on a moment ago.</summary>
    public static int[] Pick(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            // Hold all probes at once so the ports are distinct.
            for (var attempt = 0; listeners.Count < count && attempt < Attempts; attempt++)
            {
                var listener = TryListen(NextCandidate());
                if (listener is not null)
                {
                    listeners.Add(listener);
                }
            }

            while (listeners.Count < count)
            {
                // No room below the ephemeral range (or all of it taken): fall back to the kernel's choice.
                listeners.Add(TryListen(0) ?? throw new InvalidOperationException("No free loopback port."));
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    private static int NextCandidate() =>
        Ephemeral.Low - LowestPort > 1_000 ? Random.Shared.Next(LowestPort, Ephemeral.Low) : 0;

    private static TcpListener? TryListen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            listener.Stop();
            return null;
        }
    }

    private static (int Low, int High) ReadEphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && int.TryParse(parts[0], out var low) && int.TryParse(parts[1], out var high) && low > 0 && high >= low)
            {
                return (low, high);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return (49_152, 65_535);
    }
}
