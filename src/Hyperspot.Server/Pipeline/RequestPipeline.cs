using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Pipeline;

/// <summary>
/// The per-request pipeline in one place, in the order a request goes through it:
/// routing (so that the endpoint is known to every step after it), the tracing decision (<see cref="TracedEndpoints"/>),
/// the server span's description, the request id (<see cref="RequestIdMiddleware"/>, when
/// <c>tracing.http.inject_request_id_header</c> is set), the request's outcome (<see cref="RequestOutcomeMiddleware"/>:
/// the error answer for an exception or a bodiless 4xx/5xx status, then the request log line), all error answers
/// written by <see cref="ProblemAnswers"/>. The endpoints themselves run after it.
/// </summary>
public static class RequestPipeline
{
    /// <summary>The services the pipeline needs: the problem answer writer.</summary>
    public static WebApplicationBuilder AddRequestPipeline(this WebApplicationBuilder builder)
    {
        ProblemAnswers.Register(builder.Services);
        return builder;
    }

    public static WebApplication UseRequestPipeline(this WebApplication app, HyperspotSettings settings)
    {
        app.UseRouting();
        app.UseMiddleware<TracedEndpoints>();
        app.UseHyperspotServerSpans();
        var requestIdHeader = settings.Tracing.Http.InjectRequestIdHeader;
        if (requestIdHeader.Length > 0)
        {
            app.UseMiddleware<RequestIdMiddleware>(requestIdHeader);
        }

        app.UseMiddleware<RequestOutcomeMiddleware>(
            app.Services.GetRequiredService<Serilog.ILogger>(),
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(RequestOutcomeMiddleware.ExceptionCategory));
        return app;
    }
}
