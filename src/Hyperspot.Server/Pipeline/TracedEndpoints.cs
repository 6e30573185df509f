using System.Diagnostics;
using Hyperspot.Modules.ModuleKit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Hyperspot.Server.Pipeline;

/// <summary>
/// The decision which requests are traced: every request except those routed to an endpoint that carries
/// <see cref="UntracedEndpointMetadata"/> (declared with <c>.WithoutTracing()</c>: the health probes, the API
/// description). Runs after routing and before the server span is described: an untraced request's span is no longer
/// recorded, so the server span middleware leaves it alone and nothing exports it; with a parent-based sampler (the
/// default) the spans started under it are dropped too. The request still gets its request id and its request log
/// line (at <c>debug</c>). An untraced request is not measured either: ASP.NET Core leaves it out of
/// <c>http.server.request.duration</c>.
/// </summary>
public sealed class TracedEndpoints(RequestDelegate next)
{
    /// <summary>False when routing chose an endpoint marked untraced; true otherwise (no endpoint: a 404 is traced).</summary>
    public static bool IsTraced(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<UntracedEndpointMetadata>() is null;

    public Task InvokeAsync(HttpContext context)
    {
        if (!IsTraced(context))
        {
            Untrace(context);
        }

        return next(context);
    }

    private static void Untrace(HttpContext context)
    {
        if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
        {
            metrics.MetricsDisabled = true;
        }

        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity)
        {
            activity.IsAllDataRequested = false;
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
