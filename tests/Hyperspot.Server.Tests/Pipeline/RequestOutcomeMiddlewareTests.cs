using System.Diagnostics;
using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Pipeline;
using Hyperspot.Server.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Serilog;
using Serilog.Events;

namespace Hyperspot.Server.Tests.Pipeline;

public class RequestOutcomeMiddlewareTests
{
    private static (RequestOutcomeMiddleware Middleware, CollectingSink Sink) Create(RequestDelegate next, LogEventLevel minimum = LogEventLevel.Verbose, LogEventLevel? categoryLevel = null, ListLogger<RequestOutcomeMiddleware>? exceptions = null)
    {
        var sink = new CollectingSink();
        var configuration = new LoggerConfiguration().MinimumLevel.Is(minimum).WriteTo.Sink(sink);
        if (categoryLevel is { } level)
        {
            configuration.MinimumLevel.Override(RequestOutcomeMiddleware.Category, level);
        }

        return (new RequestOutcomeMiddleware(next, configuration.CreateLogger(), exceptions ?? new ListLogger<RequestOutcomeMiddleware>()), sink);
    }

    private static DefaultHttpContext Request(string method, string path, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context;
    }

    private sealed class StartedResponse : HttpResponseFeature
    {
        public override bool HasStarted => true;
    }

    /// <summary>The request once its answer has started, so that an exception can no longer become an error answer.</summary>
    private static DefaultHttpContext Started(DefaultHttpContext context)
    {
        context.Features.Set<IHttpResponseFeature>(new StartedResponse());
        return context;
    }

    /// <summary>A request routing sent to an endpoint declared <c>.WithoutTracing()</c>, as the health probes are.</summary>
    private static DefaultHttpContext UntracedRequest(string method, string path)
    {
        var context = Request(method, path);
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(UntracedEndpointMetadata.Instance), path));
        return context;
    }

    [Fact]
    public async Task Writes_one_info_line_with_method_path_status_elapsed_and_the_trace_ids()
    {
        var (middleware, sink) = Create(async context =>
        {
            await Task.Yield();
            context.Response.StatusCode = 201;
        });
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();

        await middleware.InvokeAsync(Request("POST", "/examples/v1/users/42", "?token=secret"));

        var line = Assert.Single(sink.Events);
        Assert.Equal(LogEventLevel.Information, line.Level);
        Assert.StartsWith("HTTP \"POST\" \"/examples/v1/users/42\" responded 201 in ", line.RenderMessage());
        Assert.DoesNotContain("secret", line.RenderMessage());
        Assert.Equal(activity.TraceId, line.TraceId);
        Assert.Equal(activity.SpanId, line.SpanId);
        Assert.Equal("\"" + RequestOutcomeMiddleware.Category + "\"", line.Properties["SourceContext"].ToString());
        Assert.Equal("201", line.Properties["StatusCode"].ToString());
        Assert.IsType<double>(((ScalarValue)line.Properties["Elapsed"]).Value);
    }

    [Fact]
    public async Task Writes_untraced_endpoints_at_debug_and_server_errors_at_error()
    {
        var (probe, probeSink) = Create(_ => Task.CompletedTask);
        await probe.InvokeAsync(UntracedRequest("GET", "/healthz"));
        Assert.Equal(LogEventLevel.Debug, Assert.Single(probeSink.Events).Level);
        Assert.Null(probeSink.Events[0].TraceId);

        // The path alone decides nothing: a /healthz that no untraced endpoint answers is an ordinary request.
        var (unrouted, unroutedSink) = Create(_ => Task.CompletedTask);
        await unrouted.InvokeAsync(Request("GET", "/healthz"));
        Assert.Equal(LogEventLevel.Information, Assert.Single(unroutedSink.Events).Level);

        var (failing, failingSink) = Create(context =>
        {
            context.Response.StatusCode = 503;
            context.Response.ContentType = "text/plain";
            return Task.CompletedTask;
        });
        await failing.InvokeAsync(Request("GET", "/examples/v1/users/-1"));
        Assert.Equal(LogEventLevel.Error, Assert.Single(failingSink.Events).Level);
    }

    [Fact]
    public async Task An_exception_after_the_answer_started_is_logged_as_a_500_at_error_and_passed_on()
    {
        var (middleware, sink) = Create(async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("handler failed");
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => middleware.InvokeAsync(Started(Request("GET", "/examples/v1/data"))));

        var line = Assert.Single(sink.Events);
        Assert.Equal(LogEventLevel.Error, line.Level);
        Assert.Equal("500", line.Properties["StatusCode"].ToString());
        Assert.Equal("handler failed", line.Exception?.Message);
    }

    [Fact]
    public async Task The_category_level_decides_whether_the_line_is_written()
    {
        var (quiet, quietSink) = Create(_ => Task.CompletedTask, categoryLevel: LogEventLevel.Warning);
        await quiet.InvokeAsync(Request("GET", "/examples/v1/data"));
        Assert.Empty(quietSink.Events);

        var (loud, loudSink) = Create(_ => Task.CompletedTask, minimum: LogEventLevel.Warning, categoryLevel: LogEventLevel.Debug);
        await loud.InvokeAsync(UntracedRequest("GET", "/healthz"));
        Assert.Single(loudSink.Events);
    }
}
