using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Hyperspot.Modules.ModuleKit;

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
    public async Task Wraps_the_given_client_and_registers_with_the_http_client_factory()
    {
        using var server = new LoopbackServer();

        // Wrapped: calls go through the given client's own handler pipeline, however the TracedClient was made.
        var given = new RecordingHandler(new SocketsHttpHandler());
        var inner = new HttpClient(given);
        TracedClient converted = inner;
        foreach (var client in new[] { TracedClient.From(inner), new TracedClient(inner), converted })
        {
            Assert.Same(inner, client.Inner);
            (await client.GetAsync(server.Url("/wrapped"))).Dispose();
        }

        Assert.Equal(3, given.Sent);
        Assert.Same(TracedClient.Default, TracedClient.Default);

        // Registered as a typed client of IHttpClientFactory: what is configured on the builder AddTracedClient returns
        // (client settings, message handlers) is what the resolved TracedClient sends through, and each resolution is
        // a fresh client over the factory's pooled handler.
        var registered = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddTracedClient()
            .ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(17))
            .AddHttpMessageHandler(() => registered);
        await using var provider = services.BuildServiceProvider();
        var first = provider.GetRequiredService<TracedClient>();
        var second = provider.GetRequiredService<TracedClient>();

        Assert.NotSame(first, second);
        Assert.NotSame(first.Inner, second.Inner);
        Assert.Equal(TimeSpan.FromSeconds(17), first.Inner.Timeout);
        using (var response = await first.GetAsync(server.Url("/registered")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, registered.Sent);
        Assert.Contains(("GET", "/registered"), server.Received.Select(r => (r.Method, r.Path)));
        Assert.Equal(TimeSpan.FromSeconds(17), provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TracedClient)).Timeout);
    }

    /// <summary>Counts the requests that pass through it on their way to the server.</summary>
    private sealed class RecordingHandler : DelegatingHandler
    {
        private int _sent;

        public RecordingHandler()
        {
        }

        public RecordingHandler(HttpMessageHandler inner)
            : base(inner)
        {
        }

        public int Sent => Volatile.Read(ref _sent);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SpanCollection
{
    public const string Name = "process-wide activity listeners";
}
