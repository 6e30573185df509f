using System.Net.Http.Json;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Tracing;

/// <summary>W3C trace context and baggage in and out, as <c>tracing.propagation</c> allows.</summary>
[Collection(BackendCollection.Name)]
public sealed class PropagationTests(BackendFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private AspireDashboard Backend => fixture.Backend;

    [Fact]
    public async Task Outgoing_calls_carry_the_current_context_and_baggage()
    {
        await using var downstream = new CapturingServer();
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString()));
        var traceId = W3C.NewTraceId();

        using var response = await Relay(server, downstream, traceId, baggage: "tenant=acme,plan=gold");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var received = await downstream.WaitForRequestAsync(Wait);
        Assert.Equal("POST", received.Method);
        Assert.Equal("{\"hello\":\"world\"}", received.Body);
        var traceparent = received.Header("traceparent")!;
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-01$", traceparent);
        Assert.Contains("tenant=acme", received.Header("baggage"));

        var spans = await Backend.WaitForTraceAsync(traceId, 2, Wait);
        var client = Assert.Single(spans, s => s.Kind == SpanKinds.Client);
        Assert.Equal(traceparent.Split('-')[2], client.SpanId);
        Assert.Equal(spans.Single(s => s.Kind == SpanKinds.Server).SpanId, client.ParentSpanId);
        Assert.Equal(downstream.Url("/hook"), client.Attribute("url.full"));
    }

    /// <summary>
    /// Every combination of <c>propagation.w3c_trace_context</c> and <c>propagation.baggage</c>, with a caller that sends
    /// all three headers: the outgoing call carries exactly the headers the switches allow, and the request continues
    /// the caller's trace only when trace context is on (its baggage reaches the outgoing call only when baggage is on).
    /// </summary>
    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task The_switches_decide_exactly_which_headers_are_read_and_written(bool traceContext, bool baggage)
    {
        await using var downstream = new CapturingServer();
        await using var server = await TestServer.StartAsync(Configs.Tracing(
            Backend.OtlpGrpcEndpoint.ToString(), propagation: $"w3c_trace_context: {(traceContext ? "true" : "false")}\n    baggage: {(baggage ? "true" : "false")}"));
        var traceId = W3C.NewTraceId();
        var callerSpanId = W3C.NewSpanId();

        using var response = await Relay(server, downstream, traceId, baggage: "tenant=acme", parentSpanId: callerSpanId, tracestate: "vendor=abc");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var received = await downstream.WaitForRequestAsync(Wait);
        string[] propagationHeaders = ["traceparent", "tracestate", "baggage"];
        string[] allowed = [.. traceContext ? new[] { "traceparent", "tracestate" } : [], .. baggage ? new[] { "baggage" } : []];
        Assert.Equal(allowed, propagationHeaders.Where(h => received.Header(h) is not null));
        if (traceContext)
        {
            Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-01$", received.Header("traceparent"));
            Assert.Equal("vendor=abc", received.Header("tracestate"));
        }

        if (baggage)
        {
            Assert.Equal("tenant=acme", received.Header("baggage"));
        }

        var spans = await Backend.WaitForSpansAsync(all => all.Any(s => s.ServiceName == server.ServiceName && s.Kind == SpanKinds.Server), Wait);
        var serverSpan = spans.Single(s => s.ServiceName == server.ServiceName && s.Kind == SpanKinds.Server);
        if (traceContext)
        {
            Assert.Equal(traceId, serverSpan.TraceId);
            Assert.Equal(callerSpanId, serverSpan.ParentSpanId);
        }
        else
        {
            Assert.NotEqual(traceId, serverSpan.TraceId);
            Assert.True(serverSpan.IsRoot);
        }
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01")]
    [InlineData("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")]
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01")]
    public async Task Malformed_traceparent_starts_a_new_root_trace(string traceparent)
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString()));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/examples/v1/upstream/data");
        request.Headers.TryAddWithoutValidation("traceparent", traceparent);
        request.Headers.TryAddWithoutValidation("tracestate", new string('x', 600) + "=" + new string('y', 600));
        request.Headers.TryAddWithoutValidation("baggage", string.Join(",", Enumerable.Range(0, 500).Select(i => $"k{i}=v{i}")));
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await server.StopAsync());
        var span = Assert.Single(await Backend.GetSpansAsync(), s => s.ServiceName == server.ServiceName);
        Assert.True(span.IsRoot);
        Assert.NotEqual("0af7651916cd43dd8448eb211c80319c", span.TraceId);
    }

    /// <summary>W3C Trace Context rules for tracestate on the way through: what a conformance harness checks.</summary>
    [Theory]
    [InlineData("foo=1 \t , \t bar=2", "foo=1,bar=2")]
    [InlineData("foo =1", null)]
    [InlineData("32members", "32members")]
    [InlineData("longkey", "longkey")]
    public async Task Tracestate_is_validated_and_passed_on_whole(string incoming, string? expected)
    {
        var members32 = string.Join(",", Enumerable.Range(0, 32).Select(i => $"k{i}=v{i}"));
        var longKey = new string('z', 256) + "=1";
        string? Expand(string? value) => value switch { "32members" => members32, "longkey" => longKey, _ => value };
        await using var downstream = new CapturingServer();
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString()));
        var request = new HttpRequestMessage(HttpMethod.Post, "/examples/v1/relay")
        {
            Content = JsonContent.Create(new[] { new { url = downstream.Url("/hook"), arguments = new { } } }),
        };
        request.Headers.Add("traceparent", W3C.Traceparent(W3C.NewTraceId(), W3C.NewSpanId()));
        request.Headers.TryAddWithoutValidation("tracestate", Expand(incoming));

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var received = await downstream.WaitForRequestAsync(Wait);
        Assert.Equal(Expand(expected), received.Header("tracestate"));
    }

    /// <summary>
    /// Trace flags as W3C Trace Context says: the sampled bit by this server's decision (here following the caller's),
    /// the caller's <c>random</c> bit (0x02) kept for its trace id (Level 2), and unknown bits set to zero (Level 1),
    /// whether the request is recorded or not.
    /// </summary>
    [Theory]
    [InlineData("01", "01")]
    [InlineData("03", "03")]
    [InlineData("02", "02")]
    [InlineData("00", "00")]
    [InlineData("08", "00")]
    [InlineData("0a", "02")]
    [InlineData("09", "01")]
    [InlineData("ff", "03")]
    public async Task Outgoing_trace_flags_keep_the_random_bit_and_clear_unknown_ones(string incoming, string outgoing)
    {
        await using var downstream = new CapturingServer();
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString(), sampler: "strategy: \"parentbased_always_on\""));
        var traceId = W3C.NewTraceId();

        using var response = await Relay(server, downstream, traceId, baggage: "k=v", flags: incoming);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var received = await downstream.WaitForRequestAsync(Wait);
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-{outgoing}$", received.Header("traceparent"));
    }

    /// <summary>W3C Baggage on the way through: keys are tokens sent as they are; a member that cannot be read costs only itself.</summary>
    [Theory]
    [InlineData("user*id=1,k!=2", "user*id=1,k!=2")]
    [InlineData("b=2,a=,c=3", "b=2,c=3")]
    [InlineData("good=1,bad,also=2", "good=1,also=2")]
    [InlineData("city=S%C3%A3o%20Paulo,plus=a%2Bb", "city=S%C3%A3o%20Paulo,plus=a%2Bb")]
    public async Task Baggage_goes_on_member_by_member(string incoming, string outgoing)
    {
        await using var downstream = new CapturingServer();
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString()));

        using var response = await Relay(server, downstream, W3C.NewTraceId(), baggage: incoming);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var received = await downstream.WaitForRequestAsync(Wait);
        Assert.Equal(outgoing.Split(',').Order(), received.Header("baggage")!.Split(',').Order());
    }

    private static Task<HttpResponseMessage> Relay(
        TestServer server, CapturingServer downstream, string traceId, string baggage, string flags = "01", string? parentSpanId = null, string? tracestate = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/examples/v1/relay")
        {
            Content = JsonContent.Create(new[] { new { url = downstream.Url("/hook?token=abc"), arguments = new { hello = "world" } } }),
        };
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{parentSpanId ?? W3C.NewSpanId()}-{flags}");
        if (tracestate is not null)
        {
            request.Headers.TryAddWithoutValidation("tracestate", tracestate);
        }

        request.Headers.TryAddWithoutValidation("baggage", baggage);
        return server.Client.SendAsync(request);
    }
}
