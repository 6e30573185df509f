using System.Collections;
using System.Diagnostics;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Hosting;
using Hyperspot.TestBackend;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hyperspot.IntegrationTests.Tracing;

/// <summary>
/// A module leaves one of its own endpoints out of the trace with <c>.WithoutTracing()</c>: a host built with that
/// module, exporting to a real OTLP backend, exports the sibling endpoint's spans and none of the marked one's, while
/// both requests keep their request id and their request log line.
/// </summary>
[Collection(BackendCollection.Name)]
public sealed class UntracedEndpointTests(BackendFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private AspireDashboard Backend => fixture.Backend;

    /// <summary>Two sibling endpoints that each start a span of their own; only <c>/quiet</c> is marked untraced.</summary>
    private sealed class UntracedModule : IModule
    {
        public string Name => "untraced";

        public void MapEndpoints(ModuleEndpointContext context)
        {
            context.Api.MapGet("/quiet", (ModuleTelemetry<UntracedModule> telemetry) => Work(telemetry, "quiet_work")).WithoutTracing();
            context.Api.MapGet("/loud", (ModuleTelemetry<UntracedModule> telemetry) => Work(telemetry, "loud_work"));
        }

        private static IResult Work(ModuleTelemetry<UntracedModule> telemetry, string name)
        {
            using var span = telemetry.Source.StartActivity(name);
            return Results.Text("done");
        }
    }

    [Fact]
    public async Task A_modules_endpoint_marked_without_tracing_exports_no_span_while_its_sibling_does()
    {
        var home = Directory.CreateTempSubdirectory("hyperspot-it-").FullName;
        try
        {
            var port = FreePorts.Pick();
            var service = "it-" + Guid.NewGuid().ToString("N")[..12];
            var path = Path.Combine(home, "config.yaml");
            var yaml = Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString(), sampler: "strategy: \"parentbased_always_on\"")
                .Replace("{home}", home).Replace("{port}", port.ToString()).Replace("{service}", service);
            await File.WriteAllTextAsync(path, yaml);
            IModule[] modules = [new UntracedModule()];
            var settings = HyperspotSettings.Read(ConfigurationLoader.Load(path, [], new Hashtable()), modules);
            var quietTrace = W3C.NewTraceId();
            var loudTrace = W3C.NewTraceId();
            var refusedTrace = W3C.NewTraceId();
            string[] requestIds;
            await using (var app = HyperspotApplication.Build(settings, modules, new HyperspotArguments()))
            {
                await app.StartAsync();
                using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                requestIds =
                [
                    await GetAsync(client, "/untraced/v1/quiet", quietTrace),
                    await GetAsync(client, "/untraced/v1/loud", loudTrace),
                ];

                // The decision follows the endpoint routing chose, not the path: a method the untraced route does not
                // take is answered by the framework's 405 endpoint, which is traced.
                using var refused = new HttpRequestMessage(HttpMethod.Post, "/untraced/v1/quiet");
                refused.Headers.Add("traceparent", W3C.Traceparent(refusedTrace, W3C.NewSpanId()));
                using var refusedAnswer = await client.SendAsync(refused);
                Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, refusedAnswer.StatusCode);
                await app.StopAsync();
            }

            var loud = await Backend.WaitForTraceAsync(loudTrace, 2, Wait);
            Assert.Equal(["GET /untraced/v1/loud", "loud_work"], loud.Select(s => s.Name).Order());
            Assert.Equal(requestIds[1], loud.Single(s => s.Kind == SpanKinds.Server).Attribute("request.id"));
            var refusedSpan = Assert.Single(await Backend.WaitForTraceAsync(refusedTrace, 1, Wait));
            Assert.Equal("405", refusedSpan.Attribute("http.response.status_code"));

            // The test's own HttpClient runs in the host's process, so its calls are client spans of the service too.
            await Backend.ExpectNoSpansAsync(
                s => s.TraceId == quietTrace || (s.ServiceName == service && s.TraceId != loudTrace && s.TraceId != refusedTrace && s.Kind != SpanKinds.Client),
                TimeSpan.FromSeconds(2));

            var log = await LogFile.WaitForLinesAsync(
                Path.Combine(home, "logs", "hyperspot.log"),
                lines => lines.Count(l => l.Contains("Hyperspot.Server.RequestLog")) >= 2);
            Assert.Contains(log, l => l.Contains(" DBG ") && l.Contains($"request_id={requestIds[0]} ") && l.Contains("HTTP GET /untraced/v1/quiet responded 200"));
            Assert.Contains(log, l => l.Contains(" INF ") && l.Contains($"trace_id={loudTrace} ") && l.Contains($"request_id={requestIds[1]} ") && l.Contains("HTTP GET /untraced/v1/loud responded 200"));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>Sends a sampled <c>traceparent</c> of <paramref name="traceId"/>; returns the request id the answer carries.</summary>
    private static async Task<string> GetAsync(HttpClient client, string path, string traceId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("traceparent", W3C.Traceparent(traceId, W3C.NewSpanId()));
        using var response = await client.SendAsync(request);
        Assert.Equal("done", await response.Content.ReadAsStringAsync());
        return Assert.Single(response.Headers.GetValues("x-request-id"));
    }
}
