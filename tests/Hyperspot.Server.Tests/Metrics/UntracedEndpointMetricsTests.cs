using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Hyperspot.Server.Tests.Support;

namespace Hyperspot.Server.Tests.Metrics;

/// <summary>
/// The endpoints left out of the trace (the health probes) are left out of ASP.NET Core's request duration too, and
/// <c>/health</c> reports metric export counts only when metrics are on. In-process; the exporter points at a closed
/// port (export failures are only counted).
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UntracedEndpointMetricsTests
{
    private static string Yaml(bool metrics) => $"""
        tracing:
          enabled: true
          exporter:
            endpoint: "http://127.0.0.1:{ClosedPort}"
        metrics:
          enabled: {(metrics ? "true" : "false")}
        """;

    private static readonly int ClosedPort = Hyperspot.TestBackend.FreePorts.Pick();

    [Fact]
    public async Task Probes_are_not_measured_while_the_example_routes_are()
    {
        var routes = new ConcurrentBag<string?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "http.route")
                {
                    routes.Add(tag.Value as string);
                }
            }
        });
        listener.Start();

        await using var factory = new HyperspotFactory(Yaml(metrics: true));
        using var client = factory.CreateClient();
        Assert.Equal(200, (int)(await client.GetAsync("/health")).StatusCode);
        Assert.Equal(200, (int)(await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(200, (int)(await client.GetAsync("/examples/v1/upstream/data")).StatusCode);

        // The request duration is recorded when the request ends, after the client has its answer.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!routes.Contains("/examples/v1/upstream/data") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Contains("/examples/v1/upstream/data", routes);
        Assert.DoesNotContain("/health", routes);
        Assert.DoesNotContain("/healthz", routes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Health_has_a_metrics_block_only_when_metrics_are_on(bool metrics)
    {
        await using var factory = new HyperspotFactory(Yaml(metrics));
        using var client = factory.CreateClient();
        using var health = JsonDocument.Parse(await client.GetStringAsync("/health"));

        Assert.Equal(metrics, health.RootElement.TryGetProperty("metrics", out var block));
        if (metrics)
        {
            Assert.True(block.GetProperty("enabled").GetBoolean());
            Assert.Equal(0, block.GetProperty("points_exported").GetInt64());
            Assert.True(block.TryGetProperty("batches_exported", out _));
            Assert.True(block.TryGetProperty("export_failures", out _));
        }
    }
}
