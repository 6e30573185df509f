using System.Diagnostics;
using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Pipeline;
using Hyperspot.Server.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Hyperspot.Server.Tests.Telemetry;

public class ServerSpanMiddlewareTests
{
    private sealed class ActivityFeature(Activity activity) : IHttpActivityFeature
    {
        public Activity Activity { get; set; } = activity;
    }

    private static (DefaultHttpContext Context, Activity Activity) Request(string path, Activity? activity = null)
    {
        activity ??= new Activity("Microsoft.AspNetCore.Hosting.HttpRequestIn");
        activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        activity.IsAllDataRequested = true;
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("api.example", 8087);
        context.Request.Path = path;
        context.Request.QueryString = new QueryString("?token=secret&page=2");
        context.Request.Protocol = "HTTP/1.1";
        context.Request.Headers.UserAgent = "tests";
        context.Request.Headers["x-tenant"] = "acme";
        context.Request.Headers.Authorization = "Bearer secret";
        context.Features.Set<IHttpActivityFeature>(new ActivityFeature(activity));
        return (context, activity);
    }

    private static ServerSpanMiddleware Middleware(RequestDelegate next) =>
        new(next, new HeaderRecorder(new HttpTracingSettings { RecordHeaders = ["x-tenant", "authorization"] }));

    [Fact]
    public async Task Describes_a_sampled_request_once_per_attribute()
    {
        var (context, activity) = Request("/examples/v1/data");
        await Middleware(c =>
        {
            c.Response.StatusCode = 503;
            return Task.CompletedTask;
        }).InvokeAsync(context);

        var tags = activity.TagObjects.ToList();
        Assert.Equal(tags.Count, tags.Select(t => t.Key).Distinct().Count());
        var byKey = tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("GET", byKey["http.request.method"]);
        Assert.Equal("api.example", byKey["server.address"]);
        Assert.Equal(8087, byKey["server.port"]);
        Assert.Equal("/examples/v1/data", byKey["url.path"]);
        Assert.Equal("?token=Redacted&page=Redacted", byKey["url.query"]);
        Assert.Equal("1.1", byKey["network.protocol.version"]);
        Assert.Equal(new[] { "acme" }, byKey["http.request.header.x-tenant"]);
        Assert.Equal(new[] { HeaderRecorder.Redacted }, byKey["http.request.header.authorization"]);
        Assert.Equal(503, byKey["http.response.status_code"]);
        Assert.Equal("503", byKey["error.type"]);
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
    }

    [Fact]
    public async Task Replaces_attributes_a_span_was_created_with_instead_of_repeating_them()
    {
        var created = new Activity("Microsoft.AspNetCore.Hosting.HttpRequestIn");
        created.SetTag("url.path", "/before");
        created.SetTag("http.request.method", "HEAD");
        var (context, activity) = Request("/examples/v1/data", created);

        await Middleware(_ => Task.CompletedTask).InvokeAsync(context);

        var tags = activity.TagObjects.ToList();
        Assert.Equal(tags.Count, tags.Select(t => t.Key).Distinct().Count());
        Assert.Equal("/examples/v1/data", activity.GetTagItem("url.path"));
        Assert.Equal("GET", activity.GetTagItem("http.request.method"));
    }

    [Fact]
    public async Task Leaves_unsampled_requests_alone_and_takes_probes_out_of_the_trace()
    {
        var (context, activity) = Request("/examples/v1/data");
        activity.IsAllDataRequested = false;
        await Middleware(_ => Task.CompletedTask).InvokeAsync(context);
        Assert.Empty(activity.TagObjects);

        // A probe: routed to an endpoint declared untraced, taken out of the trace before the span is described.
        var (probe, probeActivity) = Request("/healthz");
        probe.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(UntracedEndpointMetadata.Instance), "healthz"));
        await new TracedEndpoints(Middleware(_ => Task.CompletedTask).InvokeAsync).InvokeAsync(probe);
        Assert.Empty(probeActivity.TagObjects);
        Assert.False(probeActivity.Recorded);
    }

    [Fact]
    public async Task An_exception_marks_the_span_and_is_passed_on()
    {
        var (context, activity) = Request("/examples/v1/data");
        await Assert.ThrowsAsync<InvalidOperationException>(() => Middleware(async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("boom");
        }).InvokeAsync(context));

        Assert.Equal(typeof(InvalidOperationException).FullName, activity.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
        Assert.Contains(activity.Events, e => e.Name == "exception");
    }
}
