using System.Diagnostics;
using Hyperspot.Server.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Hyperspot.Server.Pipeline;

/// <summary>
/// A request's outcome: its error answer when a handler throws or answers a bare error status, and its request log line.
/// <para>
/// Error answers go through <see cref="ProblemAnswers"/>. A request the server refused while reading it
/// (<see cref="BadHttpRequestException"/>: a body over the size limit is 413, a body that stopped arriving 408 or 400)
/// gets its own status, logged at debug; any other exception not caused by the client going away marks the server
/// span as failed, records the exception on it with secrets masked, is logged at error under
/// <see cref="ExceptionCategory"/>, and becomes a <c>500</c>, or is passed on if the answer has already started. The
/// answer never holds the exception text, which may hold secrets. Response headers set earlier (the request id) are kept.
/// </para>
/// <para>
/// A 4xx or 5xx answer without a body (no started response, no content length, no content type: the framework's own
/// 404, 405, 400 for a value that does not bind, 415, or a module's <c>Results.StatusCode(...)</c>) gets a problem
/// body, as ASP.NET Core's status code pages middleware gives it, with the same opt-out: an endpoint carrying
/// <see cref="ISkipStatusCodePagesMetadata"/> (<c>[SkipStatusCodePages]</c>) keeps its bare status, and so does a
/// request whose <see cref="IStatusCodePagesFeature"/> was disabled. Done here rather than by that middleware, which
/// costs every request a layer, a feature object and a state machine for what only bodiless error answers need.
/// </para>
/// <para>
/// The log line: one event per request, <c>HTTP GET /path responded 200 in 1.2 ms</c> (the path without the query
/// string), at <c>info</c>, at <c>debug</c> for the untraced endpoints (<see cref="TracedEndpoints.IsTraced"/>), and
/// at <c>error</c> for 5xx answers and exceptions. It is written after the error answer, so an exception turned into a
/// 500 is logged as a 500 without the exception, and an exception passed on is logged with it. The event carries the
/// request's trace and span ids and the properties <c>RequestMethod</c>, <c>RequestPath</c>, <c>StatusCode</c> and
/// <c>Elapsed</c> (milliseconds), under the category <see cref="Category"/>. It is built directly from a template
/// parsed once, which costs a fraction of a general-purpose request logger on a path every request takes.
/// </para>
/// <para>
/// All three are one layer: on a route whose handler completes asynchronously, every layer of the pipeline costs
/// an async state machine and a continuation per request, and the two layers this replaces were measured at about
/// 4.5% of the server's CPU per request on <c>/examples/v1/users/{id}</c> (which passes the pipeline twice), and the
/// status code pages layer 1.7% of it on the trivial route with tracing on. A handler that completes synchronously
/// with a success takes no state machine at all.
/// </para>
/// </summary>
public sealed class RequestOutcomeMiddleware
{
    public const string Category = "Hyperspot.Server.RequestLog";

    /// <summary>The category of the unhandled-exception line, unchanged since it had a layer of its own.</summary>
    public const string ExceptionCategory = "Hyperspot.Server.Pipeline.UnhandledExceptionMiddleware";

    public const string Template = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";

    private const int InternalServerError = 500;
    private const int PropertyCapacity = 12;

    private static readonly MessageTemplate ParsedTemplate = new MessageTemplateParser().Parse(Template);
    private static readonly ScalarValue[] StatusCodes = Enumerable.Range(0, 600).Select(code => new ScalarValue(code)).ToArray();

    private readonly RequestDelegate _next;
    private readonly Serilog.ILogger _logger;
    private readonly Microsoft.Extensions.Logging.ILogger _exceptionLogger;

    /// <param name="next">The rest of the pipeline.</param>
    /// <param name="logger">The logger of the request log line.</param>
    /// <param name="exceptionLogger">The logger of refused requests and unhandled exceptions (<see cref="ExceptionCategory"/>).</param>
    public RequestOutcomeMiddleware(RequestDelegate next, Serilog.ILogger logger, Microsoft.Extensions.Logging.ILogger exceptionLogger)
    {
        _next = next;
        // A logger for the category: SourceContext is set, so that its levels (logging.<category>, live) apply.
        _logger = logger.ForContext(Constants.SourceContextPropertyName, Category);
        _exceptionLogger = exceptionLogger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        Task pending;
        try
        {
            pending = _next(context);
        }
        catch (Exception ex)
        {
            // Handled as if the handler's task had failed with it.
            pending = Task.FromException(ex);
        }

        if (pending.IsCompletedSuccessfully && !NeedsProblemBody(context))
        {
            Write(context, started, context.Response.StatusCode, null);
            return Task.CompletedTask;
        }

        return AwaitAndAnswer(pending, context, started);
    }

    private async Task AwaitAndAnswer(Task pending, HttpContext context, long started)
    {
        try
        {
            try
            {
                await pending;
                if (NeedsProblemBody(context))
                {
                    await ProblemAnswers.WriteAsync(context, new ProblemDetails { Status = context.Response.StatusCode });
                }
            }
            catch (BadHttpRequestException ex) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
            {
                _exceptionLogger.LogDebug("Refused {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path.Value, ex.Message);
                await ProblemAnswers.WriteAsync(context, new ProblemDetails { Status = ex.StatusCode });
            }
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
            {
                var activity = Activity.Current;
                activity?.AddRedactedException(ex);
                activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().FullName);
                activity?.SetTag("error.type", ex.GetType().FullName);
                _exceptionLogger.LogError(ex, "Unhandled exception while handling {Method} {Path}", context.Request.Method, context.Request.Path.Value);
                if (context.Response.HasStarted)
                {
                    throw;
                }

                await ProblemAnswers.WriteAsync(context, new ProblemDetails
                {
                    Status = Microsoft.AspNetCore.Http.StatusCodes.Status500InternalServerError,
                    Title = "Internal Server Error",
                });
            }
        }
        catch (Exception ex)
        {
            // Passed on: the answer had started, the client went away, or the error answer itself failed.
            Write(context, started, InternalServerError, ex);
            throw;
        }

        Write(context, started, context.Response.StatusCode, null);
    }

    /// <summary>
    /// True for an error status whose answer has no body yet, unless the endpoint or the request opted out: the
    /// conditions of ASP.NET Core's status code pages middleware.
    /// </summary>
    public static bool NeedsProblemBody(HttpContext context)
    {
        var response = context.Response;
        if (response.StatusCode is < 400 or >= 600 || response.HasStarted || response.ContentLength.HasValue
            || !string.IsNullOrEmpty(response.ContentType))
        {
            return false;
        }

        return context.GetEndpoint()?.Metadata.GetMetadata<ISkipStatusCodePagesMetadata>() is null
            && context.Features.Get<IStatusCodePagesFeature>() is not { Enabled: false };
    }

    /// <summary>The level of the line: error for exceptions and 5xx, debug for untraced endpoints, info otherwise.</summary>
    public static LogEventLevel LevelOf(HttpContext context, int statusCode, Exception? exception) =>
        exception is not null || statusCode >= 500 ? LogEventLevel.Error
        : TracedEndpoints.IsTraced(context) ? LogEventLevel.Information
        : LogEventLevel.Debug;

    private void Write(HttpContext context, long started, int statusCode, Exception? exception)
    {
        var level = LevelOf(context, statusCode, exception);
        if (!_logger.IsEnabled(level))
        {
            return;
        }

        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var activity = Activity.Current;
        // Room for the line's own four properties and what the enrichers add (the category, request_id and the
        // framework's request scope), so that the dictionary is allocated once at its final size.
        var properties = new Dictionary<string, LogEventPropertyValue>(PropertyCapacity)
        {
            ["RequestMethod"] = new ScalarValue(context.Request.Method),
            ["RequestPath"] = new ScalarValue(PathOf(context)),
            ["StatusCode"] = statusCode is >= 0 and < 600 ? StatusCodes[statusCode] : new ScalarValue(statusCode),
            ["Elapsed"] = new ScalarValue(elapsedMs),
        };
        _logger.Write(LogEvent.UnstableAssembleFromParts(
            DateTimeOffset.Now,
            level,
            exception,
            ParsedTemplate,
            properties,
            activity?.TraceId ?? default,
            activity?.SpanId ?? default));
    }

    /// <summary>The request path as the server received it, without the query string.</summary>
    private static string PathOf(HttpContext context)
    {
        var path = context.Features.Get<IHttpRequestFeature>()?.Path;
        return string.IsNullOrEmpty(path) ? context.Request.Path.ToString() : path;
    }
}
