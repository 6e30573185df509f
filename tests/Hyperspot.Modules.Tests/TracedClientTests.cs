using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Hyperspot.Modules.Tests;

/// <summary>TracedClient: one client span per call, a child of the current span, with errors marked, over the whole API surface.</summary>
[Collection(SpanCollection.Name)]
public sealed class TracedClientTests : IDisposable
{
    private static readonly ActivitySource Parent = new("Hyperspot.Modules.Tests");
    private readonly List<Activity> _spans = [];
    private readonly TracerProvider _provider;

    public TracedClientTests()
    {
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(Parent.Name)
            .AddHttpClientInstrumentation()
            .AddInMemoryExporter(_spans)
            .Build()!;
    }

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task Each_call_is_exactly_one_client_span_child_of_the_current_span()
    {
        using var server = new LoopbackServer();
        var client = TracedClient.From(new HttpClient());
        using (var parent = Parent.StartActivity("parent"))
        {
            using var response = await client.GetAsync(server.Url("/a"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        _provider.ForceFlush();
        var clientSpan = Assert.Single(_spans, s => s.Kind == ActivityKind.Client);
        var parentSpan = Assert.Single(_spans, s => s.DisplayName == "parent");
        Assert.Equal(parentSpan.SpanId, clientSpan.ParentSpanId);
        Assert.Equal(2, _spans.Count);
        Assert.Equal($"00-{clientSpan.TraceId}-{clientSpan.SpanId}-01", Assert.Single(server.Received).Traceparent);
        Assert.Equal(ActivityStatusCode.Unset, clientSpan.Status);
    }

    [Fact]
    public async Task Server_errors_and_transport_failures_mark_the_span_as_error()
    {
        using var failing = new LoopbackServer(503);
        TracedClient client = new HttpClient();
        using (var response = await client.GetAsync(failing.Url("/down")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        var closedPort = failing.Port;
        failing.Dispose();
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://127.0.0.1:{closedPort}/gone"));

        _provider.ForceFlush();
        Assert.Equal(2, _spans.Count);
        Assert.All(_spans, s => Assert.Equal(ActivityStatusCode.Error, s.Status));
        Assert.Equal("503", _spans[0].GetTagItem("error.type")?.ToString());
    }

    [Fact]
    public async Task Client_errors_mark_the_span_as_error_too()
    {
        using var missing = new LoopbackServer(404);
        using (var response = await TracedClient.From(new HttpClient()).GetAsync(missing.Url("/nothing")))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        _provider.ForceFlush();
        var span = Assert.Single(_spans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("404", span.GetTagItem("error.type")?.ToString());
    }

    [Fact]
    public async Task Every_verb_and_hand_built_requests_reach_the_server()
    {
        using var server = new LoopbackServer();
        var client = new TracedClient(new HttpClient());
        (await client.PostAsync(server.Url("/p"), new StringContent("x"))).Dispose();
        (await client.PutAsync(server.Url("/u"), new StringContent("x"))).Dispose();
        (await client.PatchAsync(server.Url("/a"), new StringContent("x"))).Dispose();
        (await client.DeleteAsync(server.Url("/d"))).Dispose();
        (await client.PostAsJsonAsync(server.Url("/j"), new { a = 1 })).Dispose();
        (await client.ExecuteAsync(new HttpRequestMessage(HttpMethod.Head, server.Url("/h")))).Dispose();
        (await TracedClient.Default.GetAsync(server.Url("/g"))).Dispose();

        Assert.Equal(
            ["POST /p", "PUT /u", "PATCH /a", "DELETE /d", "POST /j", "HEAD /h", "GET /g"],
            server.Received.Select(r => $"{r.Method} {r.Path}"));
        _provider.ForceFlush();
        Assert.Equal(7, _spans.Count(s => s.Kind == ActivityKind.Client));
    }

    [Fact]
    public void Wraps_the_given_client_and_registers_with_the_http_client_factory()
    {
        var inner = new HttpClient();
        Assert.Same(inner, TracedClient.From(inner).Inner);
        TracedClient converted = inner;
        Assert.Same(inner, converted.Inner);
        Assert.Same(TracedClient.Default, TracedClient.Default);

        using var services = new ServiceCollection().AddTracedClient().Services.BuildServiceProvider();
        Assert.NotNull(services.GetRequiredService<TracedClient>().Inner);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SpanCollection
{
    public const string Name = "process-wide activity listeners";
}
