using System.Diagnostics;
using Hyperspot.IntegrationTests.Reliability;
using Hyperspot.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Hyperspot.IntegrationTests.Metrics;

/// <summary>
/// SIGTERM while the metrics backend hangs: the last measurements are sent, and the process exits 0 within
/// <c>server.shutdown_timeout_ms</c>, not after the exporter's much longer <c>timeout_ms</c> (nor after the 5 s the
/// meter provider's disposal would wait).
/// </summary>
public sealed class MetricsShutdownTests(ITestOutputHelper output)
{
    private const int ShutdownTimeoutMs = 1000;
    private static readonly TimeSpan ExitSlack = TimeSpan.FromMilliseconds(3000);

    [Fact]
    public async Task Sigterm_with_the_metrics_backend_hanging_exits_0_within_the_shutdown_timeout()
    {
        await using var blackHole = await FaultyOtlpEndpoint.StartAsync(OtlpFault.Slow);
        blackHole.Delay = TimeSpan.FromMinutes(2);
        var yaml = ReliabilityConfig.Yaml(blackHole.HttpEndpoint, "otlp_http", timeoutMs: 20_000, tracingEnabled: false, shutdownTimeoutMs: ShutdownTimeoutMs)
            + "metrics:\n  enabled: true\n  export_interval_ms: 600000\n";
        await using var server = await TestServer.StartAsync(yaml);
        Assert.Equal(200, (int)(await server.Client.GetAsync("/examples/v1/upstream/data")).StatusCode);

        var watch = Stopwatch.StartNew();
        server.Process.Terminate();
        var exitCode = await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(40));
        watch.Stop();
        output.WriteLine($"exit {exitCode} after {watch.ElapsedMilliseconds} ms");

        Assert.Equal(0, exitCode);
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(ShutdownTimeoutMs) + ExitSlack, $"took {watch.ElapsedMilliseconds} ms to exit after SIGTERM");
        Assert.Contains(blackHole.Attempts, a => a.Path == "/v1/metrics");
        Assert.Contains("The last measurements could not be exported", server.Process.StandardOutput);
    }
}
