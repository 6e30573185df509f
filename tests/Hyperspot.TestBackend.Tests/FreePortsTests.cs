using System.Net;
using System.Net.Sockets;
using Hyperspot.TestBackend;

namespace Hyperspot.TestBackend.Tests;

public class FreePortsTests
{
    [Fact]
    public void Picked_ports_are_outside_the_range_the_kernel_gives_outgoing_connections()
    {
        // A port from that range can be taken by any process's next outgoing connection before the test server binds
        // it ("address already in use"); CI lost a run to exactly that.
        var (low, high) = FreePorts.EphemeralRange;
        var ports = Enumerable.Range(0, 50).Select(_ => FreePorts.Pick()).ToList();

        Assert.All(ports, port => Assert.True(port < low || port > high, $"port {port} is inside the ephemeral range {low}-{high}"));
        Assert.All(ports, port => Assert.InRange(port, 1024, 65_535));
    }

    [Fact]
    public void Several_ports_at_once_are_distinct_and_can_be_bound()
    {
        var ports = FreePorts.Pick(5);

        Assert.Equal(5, ports.Distinct().Count());
        var listeners = ports.Select(port => new TcpListener(IPAddress.Loopback, port)).ToList();
        try
        {
            listeners.ForEach(listener => listener.Start());
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }

    [Fact]
    public void A_port_something_listens_on_is_not_picked()
    {
        using var taken = new TcpListener(IPAddress.Loopback, FreePorts.Pick());
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;

        var picked = Enumerable.Range(0, 200).Select(_ => FreePorts.Pick()).ToHashSet();

        Assert.DoesNotContain(takenPort, picked);
    }
}
