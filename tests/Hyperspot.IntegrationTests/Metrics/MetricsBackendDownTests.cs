using System.Diagnostics;
using Hyperspot.IntegrationTests.Reliability;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;
using Xunit.Abstractions;

namespace Hyperspot.IntegrationTests.Metrics;

/// <summary>
/// The metrics endpoint is unreachable: requests are as fast as on a server without metrics (export is periodic, off
/// the request path), <c>/health</c> counts the failed exports, and the log warns once, then at most every 30 s.
/// </summary>
public sealed class MetricsBackendDownTests(ITestOutputHelper output)
{
    private const string Path = "/examples/v1/upstream/data";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Unreachable_metrics_endpoint_leaves_latency_alone_and_is_reported_on_health()
    {
        var started = Stopwatch.StartNew();
        var closedPort = FreePorts.Pick();
        var endpoint = $"http://127.0.0.1:{closedPort}";
        string Yaml(bool metrics) => MetricsConfigs.With(endpoint, metrics, intervalMs: 100).Replace("enabled: true\n  service_name", "enabled: false\n  service_name");
        var servers = await Task.WhenAll(TestServer.StartAsync(Yaml(metrics: true)), TestServer.StartAsync(Yaml(metrics: false)));
        await using var measured = servers[0];
        await using var baseline = servers[1];

        await Latency.InterleavedAsync(50, Path, baseline.Client, measured.Client);
        var latency = await Latency.InterleavedAsync(200, Path, baseline.Client, measured.Client);
        output.WriteLine(Latency.AssertUnaffected("metrics endpoint down", latency[0], latency[1], exportStall: TimeSpan.FromSeconds(1)));

        var health = await MetricsHealth.WaitAsync(measured.Client, h => h.ExportFailures >= 3, Wait);
        Assert.Equal((0, 0), (health.PointsExported, health.BatchesExported));
        Assert.Null(await MetricsHealth.ReadAsync(baseline.Client));

        Assert.Equal(0, await measured.StopAsync());
        var console = measured.Process.StandardOutput;
        var warnings = console.Split('\n').Where(l => l.Contains("Metric export to") && l.Contains("failed")).ToList();
        Assert.InRange(warnings.Count, 1, 1 + (int)(started.Elapsed.TotalSeconds / 30));
        Assert.All(warnings, w => Assert.Contains($"{endpoint}/", w));
        Assert.Contains("Connection refused", warnings[0]);
        Assert.DoesNotContain(console.Split('\n'), l => l.Contains(" ERR ") || l.Contains(" FTL ") || l.Contains("Unhandled", StringComparison.OrdinalIgnoreCase));
    }
}
