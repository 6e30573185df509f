using System.Diagnostics;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.IntegrationTests.Tracing;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary><c>server.shutdown_timeout_ms: 0</c> means "do not wait": the server stops at once, and says nothing is wrong.</summary>
public sealed class ZeroShutdownTimeoutTests
{
    [Fact]
    public async Task Sigterm_with_a_zero_shutdown_timeout_exits_at_once_without_warnings_and_still_reports_the_spans()
    {
        const int requests = 5;
        await using var backend = await FaultyOtlpEndpoint.StartAsync(OtlpFault.None);
        await using var server = await TestServer.StartAsync(ReliabilityConfig.Yaml(
            backend.HttpEndpoint,
            "otlp_http",
            shutdownTimeoutMs: 0,
            batch: ["scheduled_delay_ms: 100"],
            logging: ["console_level: \"debug\"", "file: \"logs/hyperspot.log\"", "file_level: \"debug\""]));
        for (var i = 0; i < requests; i++)
        {
            using var response = await server.Client.GetAsync("/examples/v1/upstream/data");
            Assert.True(response.IsSuccessStatusCode);
        }

        // Exported before the stop: nothing is left for the (at least 500 ms) flush that could fail on a busy machine.
        await ServerProbe.WaitForSpanCountsAsync(server.Client, c => c.Exported == requests, TimeSpan.FromSeconds(20));

        var watch = Stopwatch.StartNew();
        Assert.Equal(0, await server.StopAsync(TimeSpan.FromSeconds(30)));
        watch.Stop();

        var output = server.Process.StandardOutput;
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed.TotalMilliseconds:0} ms to exit with shutdown_timeout_ms 0");
        var warnings = output.Split('\n').Where(l => l.Contains(" WRN ") || l.Contains(" ERR ")).ToList();
        Assert.True(warnings.Count == 0, "warnings at a stop without waiting:\n" + string.Join('\n', warnings));
        Assert.DoesNotContain("did not stop", output);
        Assert.Contains("asked to stop, not waited for", output);
        Assert.Equal(new ShutdownFlushTests.Summary(requests, 0, 0, 0, 0), ShutdownFlushTests.LastLineSummary(output));
    }
}
