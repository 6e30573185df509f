using System.Text.Json;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Logging;

/// <summary>Log lines written inside a request carry the trace id the backend shows, the span id and the request id.</summary>
[Collection(BackendCollection.Name)]
public sealed class CorrelationTests(BackendFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private AspireDashboard Backend => fixture.Backend;

    [Fact]
    public async Task Text_lines_carry_the_backend_trace_id_and_the_echoed_request_id()
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString()));
        var traceId = W3C.NewTraceId();
        var (requestId, _) = await GetUser(server, traceId);

        var spans = await Backend.WaitForTraceAsync(traceId, 4, Wait);
        var processUser = spans.Single(s => s.Name == "process_user");
        var lines = await LogFile.WaitForLinesAsync(server.LogFile, l => l.Any(x => x.Contains("HTTP GET /examples/v1/users/42 responded 200")));
        var processing = Assert.Single(lines, l => l.Contains("Processing user 42"));
        Assert.Contains($"trace_id={traceId}", processing);
        Assert.Contains($"span_id={processUser.SpanId}", processing);
        Assert.Contains($"request_id={requestId}", processing);
        var requestLine = Assert.Single(lines, l => l.Contains("HTTP GET /examples/v1/users/42 responded 200"));
        Assert.Contains($"trace_id={traceId}", requestLine);
        Assert.Contains($"request_id={requestId}", requestLine);
        Assert.DoesNotContain("secret", requestLine);
        var startup = Assert.Single(lines, l => l.Contains("OpenTelemetry tracing initialized"));
        Assert.DoesNotContain("trace_id=", startup);
        Assert.DoesNotContain("request_id=", startup);
    }

    [Fact]
    public async Task Json_lines_have_trace_id_span_id_and_request_id_properties()
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(
            Backend.OtlpGrpcEndpoint.ToString(), logging: "otlp:\n  enabled: false").Replace("file_level: \"debug\"", "file_level: \"debug\"\n    format: \"json\""));
        var traceId = W3C.NewTraceId();
        var (requestId, _) = await GetUser(server, traceId);

        var spans = await Backend.WaitForTraceAsync(traceId, 4, Wait);
        var lines = await LogFile.WaitForLinesAsync(server.LogFile, l => l.Any(x => x.Contains("responded 200") && x.Contains("/examples/v1/users/42")));
        var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var processing = Assert.Single(events, e => e.GetProperty("message").GetString() == "Processing user 42");
        Assert.Equal(traceId, processing.GetProperty("trace_id").GetString());
        Assert.Equal(spans.Single(s => s.Name == "process_user").SpanId, processing.GetProperty("span_id").GetString());
        Assert.Equal(requestId, processing.GetProperty("request_id").GetString());
        Assert.Equal("Information", processing.GetProperty("level").GetString());
        var outside = events.First(e => e.GetProperty("message").GetString()!.Contains("OpenTelemetry tracing initialized"));
        Assert.False(outside.TryGetProperty("trace_id", out _));
        Assert.False(outside.TryGetProperty("request_id", out _));
    }

    [Theory]
    [InlineData("strategy: \"always_off\"", true)]
    [InlineData("strategy: \"always_on\"", false)]
    public async Task Ids_are_there_when_the_trace_is_not_sampled_or_tracing_is_off(string sampler, bool tracingEnabled)
    {
        var yaml = Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString(), sampler: sampler);
        if (!tracingEnabled)
        {
            yaml = yaml.Replace("enabled: true", "enabled: false");
        }

        await using var server = await TestServer.StartAsync(yaml);
        var traceId = W3C.NewTraceId();
        var (requestId, _) = await GetUser(server, traceId);
        var lines = await LogFile.WaitForLinesAsync(server.LogFile, l => l.Any(x => x.Contains("HTTP GET /examples/v1/users/42 responded 200")));

        var processing = Assert.Single(lines, l => l.Contains("Processing user 42"));
        Assert.Contains($"trace_id={traceId}", processing);
        Assert.Matches("span_id=[0-9a-f]{16} ", processing);
        Assert.DoesNotContain("span_id=0000000000000000", processing);
        Assert.Contains($"request_id={requestId}", processing);
    }

    [Fact]
    public async Task Log_records_are_exported_through_otlp_under_their_trace()
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString(), logging: "otlp:\n  enabled: true"));
        var traceId = W3C.NewTraceId();
        await GetUser(server, traceId);

        var spans = await Backend.WaitForTraceAsync(traceId, 4, Wait);
        var logs = await Backend.WaitForLogsAsync(all => all.Any(l => l.TraceId == traceId && l.Body == "Processing user 42"), Wait);
        var record = logs.First(l => l.TraceId == traceId && l.Body == "Processing user 42");
        Assert.Equal(spans.Single(s => s.Name == "process_user").SpanId, record.SpanId);
        Assert.Equal(server.ServiceName, record.ServiceName);
        Assert.Contains(logs, l => l.TraceId == traceId && (l.Body ?? "").Contains("responded 200"));
    }

    /// <summary>
    /// An OTLP record's body is the message of the console line, character for character: string values without
    /// added quotes, and the query values the console line masks masked too; the values stay attributes.
    /// </summary>
    [Fact]
    public async Task Log_record_bodies_read_as_the_console_lines_message_without_added_quotes_or_unmasked_secrets()
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(
            Backend.OtlpGrpcEndpoint.ToString(),
            logging: "otlp:\n  enabled: true\nMicrosoft.AspNetCore.Hosting:\n  console_level: \"info\""));
        var traceId = W3C.NewTraceId();
        await GetUser(server, traceId);

        var logs = await Backend.WaitForLogsAsync(
            all => all.Any(l => l.TraceId == traceId && l.CategoryName == "Hyperspot.Server.RequestLog" && l.Attribute("RequestPath") == "/examples/v1/users/42")
                && all.Any(l => l.ServiceName == server.ServiceName && (l.Body ?? "").StartsWith("OpenTelemetry tracing initialized")),
            Wait);
        var ours = logs.Where(l => l.ServiceName == server.ServiceName).ToList();
        var startup = ours.Single(l => l.Body!.StartsWith("OpenTelemetry tracing initialized"));
        var request = ours.Single(l => l.TraceId == traceId && l.CategoryName == "Hyperspot.Server.RequestLog" && l.Attribute("RequestPath") == "/examples/v1/users/42");
        var starting = ours.Single(l => l.TraceId == traceId && l.CategoryName == "Microsoft.AspNetCore.Hosting.Diagnostics"
            && l.Attribute("Path") == "/examples/v1/users/42" && l.Attribute("Protocol") is not null && l.Attribute("StatusCode") is null);

        Assert.StartsWith($"OpenTelemetry tracing initialized: exporter otlp_grpc to {Backend.OtlpGrpcEndpoint}", startup.Body);
        Assert.Matches(@"^HTTP GET /examples/v1/users/42 responded 200 in \d+\.\d ms$", request.Body);
        Assert.Contains("/examples/v1/users/42?api_token=Redacted", starting.Body);
        Assert.StartsWith("Request starting HTTP/1.1 GET http://", starting.Body);
        foreach (var record in new[] { startup, request, starting })
        {
            Assert.DoesNotContain("\"", record.Body);
            Assert.Contains(": " + record.Body + "\n", server.Process.StandardOutput);
        }

        Assert.DoesNotContain(ours, l => (l.Body ?? "").Contains("secret") || l.Attributes.Keys.Any(k => l.Attribute(k)?.Contains("secret") == true));
        Assert.Equal("/examples/v1/users/42", request.Attribute("RequestPath"));
        Assert.Equal("200", request.Attribute("StatusCode"));
        Assert.Equal("otlp_grpc", startup.Attribute("ExporterKind"));
    }

    private static async Task<(string RequestId, string Body)> GetUser(TestServer server, string traceId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/examples/v1/users/42?api_token=secret");
        request.Headers.Add("traceparent", W3C.Traceparent(traceId, W3C.NewSpanId(), sampled: true));
        using var response = await server.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode);
        return (response.Headers.GetValues("x-request-id").Single(), await response.Content.ReadAsStringAsync());
    }
}
