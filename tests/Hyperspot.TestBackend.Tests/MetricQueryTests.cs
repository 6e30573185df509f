using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Hyperspot.TestBackend.Tests;

/// <summary>What a meter provider exports comes back from the dashboard: instruments, series, bounds, exemplars.</summary>
public sealed class MetricQueryTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private AspireDashboard Dashboard => fixture.Dashboard;

    [Fact]
    public async Task A_counter_and_a_histogram_come_back_with_their_series_bounds_and_the_exemplars_trace()
    {
        var service = "svc-" + Guid.NewGuid().ToString("N")[..12];
        using var meter = new Meter("Hyperspot.TestBackend.Tests.Meter." + service);
        using var source = new ActivitySource("Hyperspot.TestBackend.Tests.Source." + service);
        var resource = ResourceBuilder.CreateEmpty().AddService(service, autoGenerateServiceInstanceId: false);
        using var tracer = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(source.Name).SetSampler(new AlwaysOnSampler()).Build();
        using var meters = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(meter.Name)
            .SetExemplarFilter(ExemplarFilterType.TraceBased)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = Dashboard.OtlpGrpcEndpoint;
                o.Protocol = OtlpExportProtocol.Grpc;
                o.Headers = Dashboard.ApiKey is null ? null : Dashboard.OtlpHeaders;
            })
            .Build();
        var counter = meter.CreateCounter<long>("orders.placed", unit: "{order}");
        var histogram = meter.CreateHistogram<double>("orders.duration", unit: "s", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        string traceId, spanId;
        using (var activity = source.StartActivity("place order")!)
        {
            (traceId, spanId) = (activity.TraceId.ToHexString(), activity.SpanId.ToHexString());
            counter.Add(3, new KeyValuePair<string, object?>("region", "eu"));
            histogram.Record(0.5, new KeyValuePair<string, object?>("region", "eu"));
        }

        Assert.True(meters.ForceFlush(10_000));
        var all = await Dashboard.WaitForMetricsAsync(m => m.Count(i => i.ServiceName == service) == 2, Timeout);

        var placed = Assert.Single(all, i => i.ServiceName == service && i.Name == "orders.placed");
        Assert.Equal((meter.Name, "{order}"), (placed.MeterName, placed.Unit));
        var series = Assert.Single(placed.Series);
        Assert.Equal("eu", series.Attribute("region"));
        Assert.Equal(3, series.Value);

        var duration = Assert.Single(all, i => i.ServiceName == service && i.Name == "orders.duration");
        var histogramSeries = Assert.Single(duration.Series);
        Assert.Equal(1, histogramSeries.HistogramCount);
        Assert.Equal([0.1, 1], histogramSeries.ExplicitBounds);
        var exemplar = Assert.Single(histogramSeries.Exemplars);
        Assert.Equal((traceId, spanId, 0.5), (exemplar.TraceId, exemplar.SpanId, exemplar.Value));
    }
}
