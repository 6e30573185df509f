using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Hyperspot.Server.Pipeline;

/// <summary>
/// The request log line: one event per request, <c>HTTP GET /path responded 200 in 1.2 ms</c> (the path without the
/// query string), at <c>info</c>, at <c>debug</c> for the untraced endpoints (<see cref="TracedEndpoints.IsTraced"/>),
/// and at <c>error</c> for 5xx answers and exceptions. The event carries the request's trace and span ids and the
/// properties <c>RequestMethod</c>, <c>RequestPath</c>, <c>StatusCode</c> and <c>Elapsed</c> (milliseconds), under the
/// category <see cref="Category"/>. The event is built directly from a template parsed once, which costs a fraction
/// of a general-purpose request logger on a path every request takes.
/// </summary>
public sealed class RequestLogMiddleware
{
    public const string Category = "Hyperspot.Server.RequestLog";
    private const int InternalServerError = 500;
    private const int PropertyCapacity = 12;

    public const string Template = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";

    private static readonly MessageTemplate ParsedTemplate = new MessageTemplateParser().Parse(Template);
    private static readonly ScalarValue[] StatusCodes = Enumerable.Range(0, 600).Select(code => new ScalarValue(code)).ToArray();

    private readonly RequestDelegate _next;
    private readonly Serilog.ILogger _logger;

    public RequestLogMiddleware(RequestDelegate next, Serilog.ILogger logger)
    {
        _next = next;
        // A logger for the category: SourceContext is set, so that its levels (logging.<category>, live) apply.
        _logger = logger.ForContext(Constants.SourceContextPropertyName, Category);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var pending = _next(context);
        if (pending.IsCompletedSuccessfully)
        {
            Write(context, started, context.Response.StatusCode, null);
            return Task.CompletedTask;
        }

        return AwaitAndWrite(pending, context, started);
    }

    private async Task AwaitAndWrite(Task pending, HttpContext context, long started)
    {
        try
        {
            await pending;
        }
        catch (Exception ex)
        {
            Write(context, started, InternalServerError, ex);
            throw;
        }

        Write(context, started, context.Response.StatusCode, null);
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
