using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Interop;

/// <summary>
/// Installs the Node service's dependencies (<c>npm ci</c>, when <c>node_modules</c> is missing) and runs one instance of it
/// for the test class, exporting to the shared backend over OTLP/HTTP.
/// </summary>
public sealed class NodeServiceFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private NodeService? _service;

    public Task InitializeAsync() => NodeService.EnsureInstalledAsync();

    public async Task<NodeService> ServiceAsync(AspireDashboard backend)
    {
        await _lock.WaitAsync();
        try
        {
            return _service ??= await NodeService.StartAsync(backend.OtlpHttpTracesEndpoint);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }
}

/// <summary>
/// W3C trace context and baggage interoperate with a service instrumented by another language's OpenTelemetry SDK
/// (Node.js, <c>tests/interop/node-service</c>): one trace across both services, in either direction, with the parent
/// chain intact and baggage understood by both sides.
/// </summary>
[Collection(BackendCollection.Name)]
public sealed class NodeInteropTests(BackendFixture backend, NodeServiceFixture node) : IClassFixture<NodeServiceFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private AspireDashboard Backend => backend.Backend;

    [Fact]
    public async Task Node_client_span_is_the_parent_of_our_server_span()
    {
        var nodeService = await node.ServiceAsync(Backend);
        await using var server = await StartServerAsync();

        using var response = await nodeService.Client.GetAsync(
            "/call?url=" + Uri.EscapeDataString($"http://127.0.0.1:{server.Port}/examples/v1/users/42"));

        var answer = await ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"id\":42", answer.GetProperty("body").GetString());
        var traceId = answer.GetProperty("traceId").GetString()!;

        var spans = await Backend.WaitForTraceAsync(traceId, 6, Wait);
        var nodeServer = Single(spans, nodeService.ServiceName, SpanKinds.Server);
        var nodeClient = Single(spans, nodeService.ServiceName, SpanKinds.Client);
        var ourServer = Single(spans, server.ServiceName, SpanKinds.Server, s => s.ParentSpanId == nodeClient.SpanId);
        var processUser = Assert.Single(spans, s => s.Name == "process_user");
        var ourClient = Single(spans, server.ServiceName, SpanKinds.Client);
        var upstream = Single(spans, server.ServiceName, SpanKinds.Server, s => s.ParentSpanId == ourClient.SpanId);

        Assert.True(nodeServer.IsRoot, Describe(spans));
        Assert.Equal(nodeServer.SpanId, nodeClient.ParentSpanId);
        Assert.Equal(nodeClient.SpanId, ourServer.ParentSpanId);
        Assert.Equal(ourServer.SpanId, processUser.ParentSpanId);
        Assert.Equal(server.ServiceName, processUser.ServiceName);
        Assert.Equal(processUser.SpanId, ourClient.ParentSpanId);
        Assert.Equal(ourClient.SpanId, upstream.ParentSpanId);
        Assert.Equal("/examples/v1/users/42", ourServer.Attribute("url.path"));
        Assert.Equal("/examples/v1/upstream/users/42", upstream.Attribute("url.path"));
        Assert.Equal(6, spans.Count);
        AssertSdkLanguages(spans, nodeService, server);
    }

    [Fact]
    public async Task Our_client_span_is_the_parent_of_the_Node_server_span_and_baggage_reaches_Node()
    {
        var nodeService = await node.ServiceAsync(Backend);
        await using var server = await StartServerAsync();
        var traceId = W3C.NewTraceId();
        var callerSpanId = W3C.NewSpanId();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/examples/v1/relay")
        {
            Content = JsonContent.Create(new[] { new { url = nodeService.Url("/hook"), arguments = new { hello = "node" } } }),
        };
        request.Headers.TryAddWithoutValidation("traceparent", W3C.Traceparent(traceId, callerSpanId));
        request.Headers.TryAddWithoutValidation("tracestate", "vendor=abc,other=1");
        request.Headers.TryAddWithoutValidation("baggage", "tenant=acme, plan=gold,city=S%C3%A3o%20Paulo");
        using var response = await server.Client.SendAsync(request);

        var answer = await ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([200], answer.GetProperty("statuses").EnumerateArray().Select(e => e.GetInt32()));

        var spans = await Backend.WaitForTraceAsync(traceId, 3, Wait);
        var ourServer = Single(spans, server.ServiceName, SpanKinds.Server);
        var ourClient = Single(spans, server.ServiceName, SpanKinds.Client);
        var nodeServer = Single(spans, nodeService.ServiceName, SpanKinds.Server);
        Assert.Equal(callerSpanId, ourServer.ParentSpanId);
        Assert.Equal(ourServer.SpanId, ourClient.ParentSpanId);
        Assert.Equal(ourClient.SpanId, nodeServer.ParentSpanId);
        Assert.Equal(3, spans.Count);
        AssertSdkLanguages(spans, nodeService, server);

        // As decoded by the JS SDK's W3C baggage propagator on the Node side.
        AssertBaggage(nodeServer, "tenant", "acme");
        AssertBaggage(nodeServer, "plan", "gold");
        AssertBaggage(nodeServer, "city", "São Paulo");
        Assert.Equal("vendor=abc,other=1", nodeServer.Attribute("interop.tracestate"));
    }

    [Fact]
    public async Task Round_trip_from_Node_through_our_relay_back_to_Node_is_one_trace()
    {
        var nodeService = await node.ServiceAsync(Backend);
        await using var server = await StartServerAsync();

        using var request = new HttpRequestMessage(
            HttpMethod.Post,
            "/call?url=" + Uri.EscapeDataString($"http://127.0.0.1:{server.Port}/examples/v1/relay"))
        {
            Content = JsonContent.Create(new[] { new { url = nodeService.Url("/hook"), arguments = new { round = "trip" } } }),
        };
        request.Headers.TryAddWithoutValidation("baggage", "tenant=acme,session=s-42");
        using var response = await nodeService.Client.SendAsync(request);

        var answer = await ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"calls\":1,\"statuses\":[200],\"errors\":[]}", answer.GetProperty("body").GetString());
        var traceId = answer.GetProperty("traceId").GetString()!;

        var spans = await Backend.WaitForTraceAsync(traceId, 5, Wait);
        var nodeEntry = Single(spans, nodeService.ServiceName, SpanKinds.Server, s => s.IsRoot);
        var nodeClient = Single(spans, nodeService.ServiceName, SpanKinds.Client);
        var ourServer = Single(spans, server.ServiceName, SpanKinds.Server);
        var ourClient = Single(spans, server.ServiceName, SpanKinds.Client);
        var nodeHook = Single(spans, nodeService.ServiceName, SpanKinds.Server, s => !s.IsRoot);
        Assert.Equal(nodeEntry.SpanId, nodeClient.ParentSpanId);
        Assert.Equal(nodeClient.SpanId, ourServer.ParentSpanId);
        Assert.Equal(ourServer.SpanId, ourClient.ParentSpanId);
        Assert.Equal(ourClient.SpanId, nodeHook.ParentSpanId);
        Assert.Equal(5, spans.Count);
        AssertSdkLanguages(spans, nodeService, server);

        // Baggage the caller gave Node went out from Node (JS SDK), through us, and back into Node.
        AssertBaggage(nodeHook, "tenant", "acme");
        AssertBaggage(nodeHook, "session", "s-42");
    }

    /// <summary>
    /// W3C baggage list members may carry properties (<c>key=value;property</c>); they are metadata, not part of the value.
    /// </summary>
    [Fact]
    public async Task Baggage_properties_stay_properties_on_the_way_to_Node()
    {
        var nodeService = await node.ServiceAsync(Backend);
        await using var server = await StartServerAsync();
        var traceId = W3C.NewTraceId();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/examples/v1/relay")
        {
            Content = JsonContent.Create(new[] { new { url = nodeService.Url("/hook"), arguments = new { } } }),
        };
        request.Headers.TryAddWithoutValidation("traceparent", W3C.Traceparent(traceId, W3C.NewSpanId()));
        request.Headers.TryAddWithoutValidation("baggage", "tenant=acme,plan=gold;tier=1");
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var spans = await Backend.WaitForTraceAsync(traceId, 3, Wait);
        var nodeServer = Single(spans, nodeService.ServiceName, SpanKinds.Server);
        AssertBaggage(nodeServer, "tenant", "acme");
        AssertBaggage(nodeServer, "plan", "gold");
    }

    private Task<TestServer> StartServerAsync() =>
        TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString(), extraTracing: "batch:\n  scheduled_delay_ms: 100"));

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new InvalidOperationException($"Expected JSON, got {(int)response.StatusCode}: {text}");
        }
    }

    private static ReceivedSpan Single(IReadOnlyList<ReceivedSpan> spans, string service, string kind, Func<ReceivedSpan, bool>? where = null)
    {
        var matching = spans.Where(s => s.ServiceName == service && s.Kind == kind && (where is null || where(s))).ToList();
        Assert.True(matching.Count == 1, $"Expected one {kind} span of {service}, found {matching.Count}.\n{Describe(spans)}");
        return matching[0];
    }

    private static void AssertSdkLanguages(IReadOnlyList<ReceivedSpan> spans, NodeService nodeService, TestServer server)
    {
        Assert.All(spans, s => Assert.Contains(s.ServiceName, new[] { nodeService.ServiceName, server.ServiceName }));
        Assert.All(spans.Where(s => s.ServiceName == nodeService.ServiceName), s => Assert.Equal("nodejs", Resource(s, "telemetry.sdk.language")));
        Assert.All(spans.Where(s => s.ServiceName == server.ServiceName), s => Assert.Equal("dotnet", Resource(s, "telemetry.sdk.language")));
    }

    /// <summary>A baggage entry as the Node side decoded it (the message shows the header it received).</summary>
    private static void AssertBaggage(ReceivedSpan nodeServer, string key, string expected)
    {
        var actual = nodeServer.Attribute("interop.baggage." + key);
        Assert.True(
            actual == expected,
            $"Baggage '{key}': expected '{expected}', Node decoded '{actual ?? "(absent)"}' from baggage: {nodeServer.Attribute("interop.baggage_header") ?? "(no header)"}");
    }

    private static string? Resource(ReceivedSpan span, string key) =>
        span.ResourceAttributes.TryGetValue(key, out var value) ? value as string : null;

    private static string Describe(IEnumerable<ReceivedSpan> spans) => string.Join('\n', spans.Select(s => s.ToString()));
}
