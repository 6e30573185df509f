using System.Diagnostics;
using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Hyperspot.Server.Tests.Pipeline;

/// <summary>The tracing decision: the endpoint routing chose, not the path, says whether a request is traced.</summary>
public sealed class TracedEndpointsTests
{
    private sealed class ActivityFeature(Activity activity) : IHttpActivityFeature
    {
        public Activity Activity { get; set; } = activity;
    }

    private static (DefaultHttpContext Context, Activity Activity) Request(string path, Endpoint? endpoint)
    {
        var activity = new Activity("Microsoft.AspNetCore.Hosting.HttpRequestIn")
        {
            ActivityTraceFlags = ActivityTraceFlags.Recorded,
            IsAllDataRequested = true,
        };
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Features.Set<IHttpActivityFeature>(new ActivityFeature(activity));
        context.SetEndpoint(endpoint);
        return (context, activity);
    }

    /// <summary>Endpoints as a module declares them, conventions applied.</summary>
    private static Endpoint Endpoint(string pattern, Action<IEndpointConventionBuilder>? declare = null)
    {
        var builder = new RouteEndpointBuilder(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0);
        var conventions = new Conventions();
        declare?.Invoke(conventions);
        conventions.Apply(builder);
        return builder.Build();
    }

    private sealed class Conventions : IEndpointConventionBuilder
    {
        private readonly List<Action<EndpointBuilder>> _conventions = [];

        public void Add(Action<EndpointBuilder> convention) => _conventions.Add(convention);

        public void Apply(EndpointBuilder builder) => _conventions.ForEach(c => c(builder));
    }

    [Fact]
    public async Task An_endpoint_declared_without_tracing_is_taken_out_of_the_trace_and_still_served()
    {
        var (context, activity) = Request("/probe/v1/quiet", Endpoint("/probe/v1/quiet", e => e.WithoutTracing()));
        var served = false;

        await new TracedEndpoints(_ =>
        {
            served = true;
            return Task.CompletedTask;
        }).InvokeAsync(context);

        Assert.True(served);
        Assert.False(TracedEndpoints.IsTraced(context));
        Assert.False(activity.Recorded);
        Assert.False(activity.IsAllDataRequested);
    }

    [Theory]
    [InlineData("/probe/v1/loud", true)]
    [InlineData("/healthz", true)]
    [InlineData("/healthz", false)]
    public async Task Its_siblings_other_paths_and_unrouted_requests_stay_traced(string path, bool routed)
    {
        var (context, activity) = Request(path, routed ? Endpoint(path) : null);

        await new TracedEndpoints(_ => Task.CompletedTask).InvokeAsync(context);

        Assert.True(TracedEndpoints.IsTraced(context));
        Assert.True(activity.Recorded);
        Assert.True(activity.IsAllDataRequested);
    }
}
