using System.Diagnostics;
using Hyperspot.Modules;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Hosting;

/// <summary>
/// Turns an unhandled exception into a <c>500 application/problem+json</c> that carries the W3C <c>trace_id</c>
/// and the request id (never the exception text, which may hold secrets), marks the server span as failed and
/// records the exception on it. Response headers set earlier (the request id) are kept.
/// </summary>
public sealed class UnhandledExceptionMiddleware(RequestDelegate next, ILogger<UnhandledExceptionMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            var activity = Activity.Current;
            activity?.AddException(ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().FullName);
            activity?.SetTag("error.type", ex.GetType().FullName);
            logger.LogError(ex, "Unhandled exception while handling {Method} {Path}", context.Request.Method, context.Request.Path.Value);
            if (context.Response.HasStarted)
            {
                throw;
            }

            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await Results.Problem(
                title: "Internal Server Error",
                statusCode: StatusCodes.Status500InternalServerError,
                extensions: new Dictionary<string, object?>
                {
                    ["trace_id"] = activity?.TraceId.ToHexString(),
                    ["request_id"] = context.GetRequestId(),
                }).ExecuteAsync(context);
        }
    }
}
