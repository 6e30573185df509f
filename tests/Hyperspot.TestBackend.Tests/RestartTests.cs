using System.Diagnostics;
using System.Net.Sockets;
using OpenTelemetry.Exporter;

namespace Hyperspot.TestBackend.Tests;

public sealed class RestartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Stop_and_start_again_keeps_the_endpoints_and_starts_empty()
    {
        await using var dashboard = await AspireDashboard.StartAsync();
        var endpoints = (dashboard.OtlpGrpcEndpoint, dashboard.OtlpHttpEndpoint, dashboard.ApiBaseAddress);

        // One exporter for the whole test: it must reach the restarted backend on the same endpoint.
        using var telemetry = Telemetry.Create(dashboard, OtlpExportProtocol.Grpc);
        var before = ExportSpan(telemetry, "before stop");
        await dashboard.WaitForTraceAsync(before, 1, Timeout);

        await dashboard.StopAsync();
        Assert.False(dashboard.IsRunning);
        await Assert.ThrowsAsync<InvalidOperationException>(() => dashboard.GetSpansAsync());
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await Assert.ThrowsAnyAsync<SocketException>(
                () => socket.ConnectAsync("127.0.0.1", dashboard.OtlpGrpcEndpoint.Port));
        }

        await dashboard.StartAgainAsync();
        Assert.True(dashboard.IsRunning);
        Assert.Equal(endpoints, (dashboard.OtlpGrpcEndpoint, dashboard.OtlpHttpEndpoint, dashboard.ApiBaseAddress));
        Assert.Empty(await dashboard.GetSpansAsync());

        var after = ExportSpan(telemetry, "after restart");
        var spans = await dashboard.WaitForTraceAsync(after, 1, Timeout);
        Assert.Equal("after restart", Assert.Single(spans).Name);
        Assert.Empty(await dashboard.GetTraceAsync(before));
    }

    private static string ExportSpan(Telemetry telemetry, string name)
    {
        using var activity = telemetry.Source.StartActivity(name)!;
        return activity.TraceId.ToHexString();
    }
}
