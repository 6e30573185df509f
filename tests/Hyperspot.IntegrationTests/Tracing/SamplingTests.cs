using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Tracing;

/// <summary>Every sampler strategy, observed in what the real backend receives.</summary>
[Collection(BackendCollection.Name)]
public sealed class SamplingTests(BackendFixture fixture)
{
    private AspireDashboard Backend => fixture.Backend;

    [Fact]
    public async Task Always_off_exports_nothing()
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString(), sampler: "strategy: \"always_off\""));
        var traceId = W3C.NewTraceId();
        await Send(server, W3C.Traceparent(traceId, W3C.NewSpanId(), sampled: true));
        await Send(server, null);
        await Send(server, null, "/examples/v1/users/42");

        Assert.Equal(0, await server.StopAsync());
        Assert.DoesNotContain(await Backend.GetSpansAsync(), s => s.ServiceName == server.ServiceName);
    }

    /// <summary>
    /// For each strategy: a request whose caller sampled it, one whose caller did not, and one with no caller;
    /// with ratio 0 the ratio part never samples, so what arrives shows whether the parent was followed.
    /// </summary>
    [Theory]
    [InlineData("strategy: \"parentbased_ratio\"\n    ratio: 0", true, false, false)]
    [InlineData("strategy: \"parentbased_traceidratio\"\n    ratio: 0", true, false, false)]
    [InlineData("strategy: \"ratio\"\n    ratio: 0", false, false, false)]
    [InlineData("strategy: \"traceidratio\"\n    ratio: 1", true, true, true)]
    [InlineData("strategy: \"parentbased_always_on\"", true, false, true)]
    [InlineData("strategy: \"parentbased_always_off\"", true, false, false)]
    [InlineData("strategy: \"always_on\"", true, true, true)]
    public async Task Strategy_follows_or_ignores_the_parent(string sampler, bool sampledParentExported, bool unsampledParentExported, bool rootExported)
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString(), sampler: sampler));
        var sampled = W3C.NewTraceId();
        var unsampled = W3C.NewTraceId();
        await Send(server, W3C.Traceparent(sampled, W3C.NewSpanId(), sampled: true));
        await Send(server, W3C.Traceparent(unsampled, W3C.NewSpanId(), sampled: false));
        await Send(server, null);

        Assert.Equal(0, await server.StopAsync());
        var spans = (await Backend.GetSpansAsync()).Where(s => s.ServiceName == server.ServiceName).ToList();
        Assert.Equal(sampledParentExported, spans.Any(s => s.TraceId == sampled));
        Assert.Equal(unsampledParentExported, spans.Any(s => s.TraceId == unsampled));
        Assert.Equal(rootExported, spans.Any(s => s.TraceId != sampled && s.TraceId != unsampled));
    }

    /// <summary>
    /// Known trace ids spread over the whole range the ratio rule reads: at 0.25 exactly the quarter that
    /// <see cref="TraceIdRatioRule"/> names is exported, by every instance (a sampler that kept 0.75 of them, or decided
    /// per instance, would export another set).
    /// </summary>
    [Fact]
    public async Task Ratio_decision_is_the_trace_id_rule_and_the_same_on_every_instance()
    {
        const double ratio = 0.25;
        var traceIds = TraceIdRatioRule.EvenlySpread(40, seed: Environment.TickCount);
        var expected = traceIds.Where(id => TraceIdRatioRule.IsSampled(id, ratio)).ToHashSet();
        Assert.Equal(10, expected.Count);
        for (var instance = 0; instance < 2; instance++)
        {
            await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString(), sampler: "strategy: \"ratio\"\n    ratio: 0.25"));
            foreach (var traceId in traceIds)
            {
                await Send(server, W3C.Traceparent(traceId, W3C.NewSpanId(), sampled: true));
            }

            Assert.Equal(0, await server.StopAsync());
            var exported = (await Backend.GetSpansAsync()).Where(s => s.ServiceName == server.ServiceName).Select(s => s.TraceId).ToHashSet();
            Assert.Equal(expected.Order(), exported.Order());
        }
    }

    private static async Task Send(TestServer server, string? traceparent, string path = "/examples/v1/upstream/data")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (traceparent is not null)
        {
            request.Headers.Add("traceparent", traceparent);
        }

        using var response = await server.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode);
    }
}
