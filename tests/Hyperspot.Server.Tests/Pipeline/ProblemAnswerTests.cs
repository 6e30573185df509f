using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hyperspot.Modules;
using Hyperspot.Server.Hosting;
using Hyperspot.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Tests.Pipeline;

/// <summary>
/// Error answers of a real host (Kestrel on a free port) for what the framework refuses before or while binding a
/// handler's parameters, what a handler answers itself, and what it throws: all <c>application/problem+json</c>
/// with the trace of the request.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ProblemAnswerTests : IAsyncLifetime
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string TraceParent = $"00-{TraceId}-00f067aa0ba902b7-01";

    private readonly TempDirectory _home = new("hyperspot-problem-");
    private WebApplication? _app;
    private HttpClient? _client;

    private HttpClient Client => _client!;

    /// <summary>Endpoints that make the framework answer on its own.</summary>
    private sealed class ProblemModule : IModule
    {
        public string Name => "probe";

        public void MapEndpoints(ModuleEndpointContext context)
        {
            context.Api.MapPost("/items", (Item item) => Results.Json(item))
                .WithMetadata(new RequestSizeLimitAttribute(64));
            context.Api.MapGet("/boom", IResult () => throw new InvalidOperationException("cannot reach http://u:boom-pass-X1@upstream/?api_key=boom-key-X2"));
            context.Api.MapGet("/own", () => Results.Problem(title: "Own conflict", statusCode: 409, extensions: new Dictionary<string, object?> { ["trace_id"] = "module-trace" }));
            context.Api.MapGet("/teapot", () => Results.StatusCode(418));
            context.Api.MapGet("/teapot-later", async () =>
            {
                await Task.Yield();
                return Results.StatusCode(418);
            });
            context.Api.MapGet("/bare", () => Results.StatusCode(409)).WithMetadata(new SkipStatusCodePagesAttribute());
            context.Api.MapGet("/upstream", () => Results.Problem(detail: "The upstream could not be reached.", statusCode: 502));
            context.Api.MapGet("/slow", () => TypedResults.Problem(detail: "The upstream did not answer.", statusCode: 504));
        }
    }

    private sealed record Item(string Name);

    public async Task InitializeAsync()
    {
        var yaml = $"server:\n  home_dir: {_home.Path}\n  port: 0\ntracing:\n  enabled: false\n";
        _app = HyperspotApplication.Build(Config.Read(yaml), [new ProblemModule()], new HyperspotArguments());
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _home.Dispose();
    }

    private async Task<(HttpResponseMessage Response, JsonElement Problem)> SendAsync(HttpMethod method, string path, HttpContent? content = null, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.TryAddWithoutValidation("traceparent", TraceParent);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{method} {path}: {(int)response.StatusCode} {response.Content.Headers.ContentType} '{body}'");
        return (response, method == HttpMethod.Head ? default : JsonDocument.Parse(body).RootElement.Clone());
    }

    private static void AssertProblem(JsonElement problem, int status)
    {
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.Equal(TraceId, problem.GetProperty("trace_id").GetString());
        Assert.Equal(32, problem.GetProperty("request_id").GetString()!.Length);
    }

    [Theory]
    [InlineData("GET", "/no/such/route", 404)]
    [InlineData("DELETE", "/probe/v1/boom", 405)]
    [InlineData("GET", "/probe/v1/teapot", 418)]
    [InlineData("GET", "/probe/v1/teapot-later", 418)]
    public async Task A_status_the_framework_or_a_handler_answers_without_a_body_becomes_a_problem(string method, string path, int status)
    {
        var (response, problem) = await SendAsync(new HttpMethod(method), path);

        Assert.Equal(status, (int)response.StatusCode);
        AssertProblem(problem, status);
    }

    [Fact]
    public async Task An_endpoint_that_skips_status_code_pages_keeps_its_bare_status()
    {
        using var response = await Client.GetAsync("/probe/v1/bare");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_body_of_the_wrong_type_is_415_and_a_body_over_the_limit_413()
    {
        var (wrongType, unsupported) = await SendAsync(HttpMethod.Post, "/probe/v1/items", new StringContent("name=x", Encoding.UTF8, "text/plain"));
        var (tooLarge, large) = await SendAsync(HttpMethod.Post, "/probe/v1/items", new StringContent($"{{\"name\":\"{new string('x', 4096)}\"}}", Encoding.UTF8, "application/json"));
        var (malformed, bad) = await SendAsync(HttpMethod.Post, "/probe/v1/items", new StringContent("{\"name\":", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        AssertProblem(unsupported, 415);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        AssertProblem(large, 413);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        AssertProblem(bad, 400);
    }

    [Fact]
    public async Task An_exception_is_a_500_problem_that_quotes_nothing_of_it()
    {
        var (response, problem) = await SendAsync(HttpMethod.Get, "/probe/v1/boom");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        AssertProblem(problem, 500);
        Assert.DoesNotContain("boom-", problem.GetRawText());
    }

    [Fact]
    public async Task A_problem_a_module_wrote_is_kept_as_it_is_and_completed()
    {
        var (response, problem) = await SendAsync(HttpMethod.Get, "/probe/v1/own");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("Own conflict", problem.GetProperty("title").GetString());
        Assert.Equal("module-trace", problem.GetProperty("trace_id").GetString());
        Assert.Equal(32, problem.GetProperty("request_id").GetString()!.Length);
        Assert.Single(problem.EnumerateObject(), p => p.Name == "title");
    }

    [Theory]
    [InlineData("/probe/v1/upstream", 502, "Bad Gateway", "https://tools.ietf.org/html/rfc9110#section-15.6.3", "The upstream could not be reached.")]
    [InlineData("/probe/v1/slow", 504, "Gateway Timeout", "https://tools.ietf.org/html/rfc9110#section-15.6.5", "The upstream did not answer.")]
    public async Task A_modules_plain_Results_Problem_gets_the_trace_and_request_ids_from_the_host(string path, int status, string title, string type, string detail)
    {
        var (response, problem) = await SendAsync(HttpMethod.Get, path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(
            ["type", "title", "status", "detail", "trace_id", "request_id"],
            problem.EnumerateObject().Select(p => p.Name));
        Assert.Equal(type, problem.GetProperty("type").GetString());
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        Assert.Equal(TraceId, problem.GetProperty("trace_id").GetString());
        Assert.Equal(response.Headers.GetValues("x-request-id").Single(), problem.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task A_client_that_asks_for_html_still_gets_a_problem_and_HEAD_gets_no_body()
    {
        var (_, html) = await SendAsync(HttpMethod.Get, "/no/such/route", accept: "text/html");
        AssertProblem(html, 404);

        var (head, _) = await SendAsync(HttpMethod.Head, "/no/such/route");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }
}
