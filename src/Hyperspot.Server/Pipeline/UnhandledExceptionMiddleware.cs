using System.Diagnostics;
using Hyperspot.Server.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Pipeline;

/// <summary>
/// Turns an exception that escapes a handler into a problem answer (<see cref="ProblemAnswers"/>): a request the
/// server refused while reading it (<see cref="BadHttpRequestException"/>: a body over the size limit is 413, a body
/// that stopped arriving 408 or 400) gets its own status; anything else is a <c>500</c> that marks the server span as
/// failed and records the exception on it, with secrets masked. The answer never holds the exception text, which
/// may hold secrets. Response headers set earlier (the request id) are kept.
/// </summary>
public sealed class UnhandledExceptionMiddleware(RequestDelegate next, ILogger<UnhandledExceptionMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            logger.LogDebug("Refused {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path.Value, ex.Message);
            await ProblemAnswers.WriteAsync(context, new ProblemDetails { Status = ex.StatusCode });
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            var activity = Activity.Current;
            activity?.AddRedactedException(ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().FullName);
            activity?.SetTag("error.type", ex.GetType().FullName);
            logger.LogError(ex, "Unhandled exception while handling {Method} {Path}", context.Request.Method, context.Request.Path.Value);
            if (context.Response.HasStarted)
            {
                throw;
            }

            await ProblemAnswers.WriteAsync(context, new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal Server Error",
            });
        }
    }
}
