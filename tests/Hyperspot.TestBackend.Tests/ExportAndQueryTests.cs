using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;

namespace Hyperspot.TestBackend.Tests;

public sealed class ExportAndQueryTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private AspireDashboard Dashboard => fixture.Dashboard;

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task Spans_come_back_with_parents_attributes_events_and_resource(OtlpExportProtocol protocol)
    {
        using var telemetry = Telemetry.Create(Dashboard, protocol);
        string traceId, rootId, childId;
        using (var root = telemetry.Source.StartActivity("GET /orders/{id}", ActivityKind.Server)!)
        {
            root.SetTag("http.request.method", "GET");
            root.SetTag("http.response.status_code", 503);
            root.SetTag("tags", new[] { "a", "b" });
            root.SetTag("flag", true);
            root.AddEvent(new ActivityEvent("retrying", tags: new ActivityTagsCollection { ["attempt"] = 2 }));
            root.SetStatus(ActivityStatusCode.Error, "backend down");
            traceId = root.TraceId.ToHexString();
            rootId = root.SpanId.ToHexString();
            using var child = telemetry.Source.StartActivity("call backend", ActivityKind.Client)!;
            child.SetStatus(ActivityStatusCode.Ok);
            childId = child.SpanId.ToHexString();
        }

        var spans = await Dashboard.WaitForTraceAsync(traceId, minimumSpans: 2, Timeout);

        Assert.Equal(2, spans.Count);
        var server = Assert.Single(spans, s => s.SpanId == rootId);
        var client = Assert.Single(spans, s => s.SpanId == childId);

        Assert.True(server.IsRoot);
        Assert.Null(server.ParentSpanId);
        Assert.Equal(traceId, server.TraceId);
        Assert.Equal("GET /orders/{id}", server.Name);
        Assert.Equal(SpanKinds.Server, server.Kind);
        Assert.Equal(SpanStatusCodes.Error, server.StatusCode);
        Assert.Equal("backend down", server.StatusMessage);
        Assert.Equal("GET", server.Attributes["http.request.method"]);
        Assert.Equal("503", server.Attribute("http.response.status_code"));
        Assert.Equal(new[] { "a", "b" }, Assert.IsType<string[]>(server.Attributes["tags"]));
        Assert.Equal("true", server.Attribute("flag"));
        var evt = Assert.Single(server.Events);
        Assert.Equal("retrying", evt.Name);
        Assert.Equal("2", evt.Attribute("attempt"));
        Assert.True(server.EndTime >= server.StartTime);
        Assert.Equal(telemetry.Source.Name, server.ScopeName);
        Assert.Equal("1.2.3", server.ScopeVersion);

        Assert.Equal(rootId, client.ParentSpanId);
        Assert.Equal(SpanKinds.Client, client.Kind);
        Assert.Equal(SpanStatusCodes.Ok, client.StatusCode);

        Assert.Equal(telemetry.ServiceName, server.ServiceName);
        Assert.Equal("9.9.9", server.ResourceAttributes["service.version"]);
        Assert.Equal("test", server.ResourceAttributes["deployment.environment.name"]);
        Assert.False(server.ResourceAttributes.ContainsKey("service.instance.id"));

        Assert.Matches("^[0-9a-f]{32}$", server.TraceId);
        Assert.Matches("^[0-9a-f]{16}$", server.SpanId);
    }

    [Fact]
    public async Task Every_span_is_returned_beyond_the_api_default_page_size()
    {
        const int Count = 300;
        using var telemetry = Telemetry.Create(Dashboard, OtlpExportProtocol.HttpProtobuf);
        for (var i = 0; i < Count; i++)
        {
            using var activity = telemetry.Source.StartActivity("request " + i, ActivityKind.Server);
        }

        var spans = await Dashboard.WaitForSpansAsync(
            all => all.Count(s => s.ServiceName == telemetry.ServiceName) >= Count, Timeout);

        var mine = spans.Where(s => s.ServiceName == telemetry.ServiceName).ToList();
        Assert.Equal(Count, mine.Count(s => s.Kind == SpanKinds.Server));
        Assert.Equal(Count, mine.Select(s => s.TraceId).Distinct().Count());
    }

    [Fact]
    public async Task Log_record_is_readable_with_its_trace_id()
    {
        using var telemetry = Telemetry.Create(Dashboard, OtlpExportProtocol.Grpc, withLogs: true);
        var logger = telemetry.CreateLogger("Hyperspot.Orders");
        string traceId, spanId;
        using (var activity = telemetry.Source.StartActivity("handle order")!)
        {
            traceId = activity.TraceId.ToHexString();
            spanId = activity.SpanId.ToHexString();
            logger.LogWarning("Order {OrderId} rejected", 42);
        }

        var logs = await Dashboard.WaitForLogsAsync(all => all.Any(l => l.TraceId == traceId), Timeout);

        var log = Assert.Single(logs, l => l.TraceId == traceId);
        Assert.Equal(spanId, log.SpanId);
        Assert.Equal("Warning", log.SeverityText);
        Assert.Equal("Hyperspot.Orders", log.CategoryName);
        Assert.Equal("42", log.Attribute("OrderId"));
        Assert.Contains("rejected", log.Body);
        Assert.Equal(telemetry.ServiceName, log.ServiceName);
        Assert.Single(await Dashboard.GetLogsAsync(traceId));
    }

    [Fact]
    public async Task Resources_list_the_exporting_service()
    {
        using var telemetry = Telemetry.Create(Dashboard, OtlpExportProtocol.Grpc);
        string traceId;
        using (var activity = telemetry.Source.StartActivity("ping")!)
        {
            traceId = activity.TraceId.ToHexString();
        }

        await Dashboard.WaitForTraceAsync(traceId, 1, Timeout);
        var resource = Assert.Single(await Dashboard.GetResourcesAsync(), r => r.Name == telemetry.ServiceName);
        Assert.True(resource.HasTraces);
    }

    [Fact]
    public async Task Unknown_trace_is_empty_and_waiting_for_it_reports_what_was_received()
    {
        using var telemetry = Telemetry.Create(Dashboard, OtlpExportProtocol.Grpc);
        string traceId;
        using (var activity = telemetry.Source.StartActivity("something else")!)
        {
            traceId = activity.TraceId.ToHexString();
        }

        await Dashboard.WaitForTraceAsync(traceId, 1, Timeout);
        var unknown = ActivityTraceId.CreateRandom().ToHexString();
        Assert.Empty(await Dashboard.GetTraceAsync(unknown));

        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => Dashboard.WaitForTraceAsync(unknown, 1, TimeSpan.FromMilliseconds(300)));
        Assert.Contains(unknown, error.Message);
        Assert.Contains("something else", error.Message);
        Assert.Contains(traceId, error.Message);
    }
}
