using System.Net.Http.Headers;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Tracing;

/// <summary>Spans reach a real OTLP backend over both exporter kinds, continuing the caller's trace, with resource, headers and request id.</summary>
[Collection(BackendCollection.Name)]
public sealed class ExportTests(BackendFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private AspireDashboard Backend => fixture.Backend;

    public static TheoryData<string, string> Exporters => new()
    {
        { "otlp_grpc", "grpc" },
        { "otlp_http", "http-base" },
        { "otlp_http", "http-full" },
    };

    [Theory]
    [MemberData(nameof(Exporters))]
    public async Task Incoming_traceparent_is_continued_with_resource_headers_and_request_id(string kind, string endpointShape)
    {
        var endpoint = endpointShape switch
        {
            "grpc" => Backend.OtlpGrpcEndpoint.ToString(),
            "http-base" => Backend.OtlpHttpEndpoint.ToString().TrimEnd('/'),
            _ => Backend.OtlpHttpTracesEndpoint.ToString(),
        };
        await using var server = await TestServer.StartAsync(Configs.Tracing(endpoint, kind));
        var traceId = W3C.NewTraceId();
        var parentId = W3C.NewSpanId();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/examples/v1/upstream/data");
        request.Headers.Add("traceparent", W3C.Traceparent(traceId, parentId));
        request.Headers.UserAgent.ParseAdd("integration-test/1.0");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "very-secret-token");
        request.Headers.Add("x-api-key", "another-secret");
        request.Headers.Add("x-request-id", "req-abc-123");
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("req-abc-123", response.Headers.GetValues("x-request-id").Single());
        var spans = await Backend.WaitForTraceAsync(traceId, 1, Wait);
        var span = Assert.Single(spans, s => s.Kind == SpanKinds.Server);
        Assert.Equal(parentId, span.ParentSpanId);
        Assert.Equal("GET /examples/v1/upstream/data", span.Name);
        Assert.Equal(server.ServiceName, span.ServiceName);
        Assert.Equal("1.2.3", span.ResourceAttributes["service.version"]);
        Assert.Equal("it", span.ResourceAttributes["deployment.environment"]);
        Assert.False(string.IsNullOrEmpty(span.ResourceAttributes["service.instance.id"] as string));
        Assert.Equal("opentelemetry", span.ResourceAttributes["telemetry.sdk.name"]);
        Assert.Equal("integration-test/1.0", Assert.IsType<string[]>(span.Attributes["http.request.header.user-agent"]).Single());
        Assert.Equal("[REDACTED]", Assert.IsType<string[]>(span.Attributes["http.request.header.authorization"]).Single());
        Assert.Equal("[REDACTED]", Assert.IsType<string[]>(span.Attributes["http.request.header.x-api-key"]).Single());
        Assert.Equal("req-abc-123", span.Attribute("request.id"));
        Assert.Equal("200", span.Attribute("http.response.status_code"));
        Assert.Equal("/examples/v1/upstream/data", span.Attribute("http.route"));
        Assert.DoesNotContain(spans.SelectMany(s => s.Attributes.Keys.Select(s.Attribute)), v => v!.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Users_example_is_one_trace_server_process_user_client_upstream()
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString()));
        using var response = await server.Client.GetAsync("/examples/v1/users/42");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"id\":42", await response.Content.ReadAsStringAsync());

        var spans = await Backend.WaitForSpansAsync(
            all => all.Any(s => s.ServiceName == server.ServiceName && s.Name == "GET /examples/v1/users/{id}")
                && all.Count(s => s.ServiceName == server.ServiceName) >= 4,
            Wait);
        var root = spans.Single(s => s.ServiceName == server.ServiceName && s.Name == "GET /examples/v1/users/{id}");
        var trace = spans.Where(s => s.TraceId == root.TraceId).ToList();
        var processUser = Assert.Single(trace, s => s.Name == "process_user");
        var client = Assert.Single(trace, s => s.Kind == SpanKinds.Client);
        var upstream = Assert.Single(trace, s => s.Name == "GET /examples/v1/upstream/users/{id}");

        Assert.True(root.IsRoot);
        Assert.Equal(SpanKinds.Server, root.Kind);
        Assert.Equal(root.SpanId, processUser.ParentSpanId);
        Assert.Equal("42", processUser.Attribute("user.id"));
        Assert.Equal("success", processUser.Attribute("operation.result"));
        Assert.Equal("Hyperspot.Modules.examples", processUser.ScopeName);
        Assert.Equal(processUser.SpanId, client.ParentSpanId);
        Assert.Equal(client.SpanId, upstream.ParentSpanId);
        Assert.Equal(SpanKinds.Server, upstream.Kind);
        Assert.Equal("GET", client.Attribute("http.request.method"));
        Assert.Equal($"http://127.0.0.1:{server.Port}/examples/v1/upstream/users/42", client.Attribute("url.full"));
    }

    [Fact]
    public async Task Failing_downstream_gives_502_problem_with_trace_id_and_a_failed_span()
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString()));
        using var response = await server.Client.GetAsync("/examples/v1/users/-7");

        Assert.Equal(System.Net.HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var traceId = problem.GetProperty("trace_id").GetString()!;
        Assert.Equal(response.Headers.GetValues("x-request-id").Single(), problem.GetProperty("request_id").GetString());

        var spans = await Backend.WaitForTraceAsync(traceId, 4, Wait);
        var processUser = Assert.Single(spans, s => s.Name == "process_user");
        Assert.Equal(SpanStatusCodes.Error, processUser.StatusCode);
        Assert.Equal("true", processUser.Attribute("error"));
        Assert.Equal("error", processUser.Attribute("operation.result"));
        Assert.Contains("503", processUser.Attribute("error.message"));
        var client = Assert.Single(spans, s => s.Kind == SpanKinds.Client);
        Assert.Equal(SpanStatusCodes.Error, client.StatusCode);
        Assert.Equal("502", spans.Single(s => s.Name == "GET /examples/v1/users/{id}").Attribute("http.response.status_code"));
    }

    [Fact]
    public async Task Probes_and_api_description_are_not_traced_however_routing_lets_them_be_spelled()
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString()));
        foreach (var path in new[] { "/health", "/healthz", "/openapi.json", "/health/", "/HEALTHZ/", "/OpenAPI.json", "/examples/v1/upstream/data" })
        {
            using var response = await server.Client.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, path);
        }

        Assert.Equal(0, await server.StopAsync());
        var spans = (await Backend.GetSpansAsync()).Where(s => s.ServiceName == server.ServiceName).ToList();
        Assert.Equal(["GET /examples/v1/upstream/data"], spans.Select(s => s.Name));
    }
}
