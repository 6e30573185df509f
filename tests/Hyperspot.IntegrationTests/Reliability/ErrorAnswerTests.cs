using System.Net.Http.Json;
using System.Text.Json;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>
/// The server's error answers, from the real process: what the framework answers on its own (no route, method not
/// allowed, a route value that does not bind), a HEAD request, a client that asks for HTML, and a module's own
/// problem. Each is <c>application/problem+json</c> whose <c>trace_id</c> is the trace of the server span the backend
/// received (the <c>traceparent</c>'s when one was sent) and whose <c>request_id</c> is the one echoed in the headers.
/// </summary>
[Collection(BackendCollection.Name)]
public sealed class ErrorAnswerTests(BackendFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private AspireDashboard Backend => fixture.Backend;

    [Fact]
    public async Task Every_error_answer_is_a_problem_with_the_trace_of_its_server_span()
    {
        await using var server = await TestServer.StartAsync(Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString()));
        var cases = new (HttpMethod Method, string Path, int Status, string? Accept, HttpContent? Body)[]
        {
            (HttpMethod.Get, "/no/such/route", 404, null, null),
            (HttpMethod.Delete, "/examples/v1/users/5", 405, null, null),
            (HttpMethod.Get, "/examples/v1/users/notanumber", 400, null, null),
            (HttpMethod.Get, "/no/such/page", 404, "text/html", null),
            (HttpMethod.Head, "/no/such/route", 404, null, null),
            (HttpMethod.Post, "/examples/v1/relay", 400, null, JsonContent.Create(new[] { new { url = "http://elsewhere.example/hook", arguments = 1 } })),
        };

        var traces = new List<(string TraceId, int Status)>();
        foreach (var (method, path, status, accept, body) in cases)
        {
            var traceId = W3C.NewTraceId();
            using var request = new HttpRequestMessage(method, path) { Content = body };
            request.Headers.TryAddWithoutValidation("traceparent", W3C.Traceparent(traceId, W3C.NewSpanId()));
            if (accept is not null)
            {
                request.Headers.Accept.ParseAdd(accept);
            }

            using var response = await server.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var what = $"{method} {path}: {(int)response.StatusCode} {response.Content.Headers.ContentType} '{text}'";
            Assert.True(status == (int)response.StatusCode, what);
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", what);
            if (method == HttpMethod.Head)
            {
                Assert.True(text.Length == 0, what);
            }
            else
            {
                var problem = JsonDocument.Parse(text).RootElement;
                Assert.Equal(status, problem.GetProperty("status").GetInt32());
                Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()), what);
                Assert.Equal(traceId, problem.GetProperty("trace_id").GetString());
                Assert.Equal(response.Headers.GetValues("x-request-id").Single(), problem.GetProperty("request_id").GetString());
            }

            traces.Add((traceId, status));
        }

        // The module's own problem keeps its detail: it is completed, not wrapped.
        using (var relay = await server.Client.PostAsync("/examples/v1/relay", JsonContent.Create(new object?[] { null })))
        {
            var problem = JsonDocument.Parse(await relay.Content.ReadAsStringAsync()).RootElement;
            Assert.Contains("[0]", problem.GetProperty("detail").GetString());
            Assert.Single(problem.EnumerateObject(), p => p.Name == "status");
        }

        // Without a traceparent, trace_id is the trace the server span started.
        using var bare = await server.Client.GetAsync("/still/no/route");
        var bareProblem = JsonDocument.Parse(await bare.Content.ReadAsStringAsync()).RootElement;
        var bareTrace = bareProblem.GetProperty("trace_id").GetString()!;
        var requestId = bareProblem.GetProperty("request_id").GetString();

        foreach (var (traceId, status) in traces)
        {
            var spans = await Backend.WaitForTraceAsync(traceId, 1, Wait);
            var serverSpan = Assert.Single(spans, s => s.Kind == SpanKinds.Server);
            Assert.Equal(status.ToString(), serverSpan.Attribute("http.response.status_code"));
        }

        var bareSpans = await Backend.WaitForTraceAsync(bareTrace, 1, Wait);
        Assert.Equal(requestId, Assert.Single(bareSpans, s => s.Kind == SpanKinds.Server).Attribute("request.id"));
    }
}
