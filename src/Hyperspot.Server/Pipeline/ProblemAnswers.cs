using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Pipeline;

/// <summary>
/// The one builder of error answers: every <c>application/problem+json</c> the server sends goes through it, whether
/// a module returns <c>Results.Problem(...)</c>, the framework answers with a bare status (no route 404, 405, a
/// parameter that does not bind 400, 415, 413) or a request fails (500). Each answer gets <c>status</c>, a
/// <c>type</c> and <c>title</c> (the framework's defaults for the status unless given), the W3C <c>trace_id</c> of the request's server span and the
/// <c>request_id</c>; values a module set itself are kept. It is written whatever the request's <c>Accept</c> says,
/// and a HEAD answer gets the headers without a body.
/// </summary>
public sealed class ProblemAnswers(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";
    public const string TraceIdKey = "trace_id";
    public const string RequestIdKey = RequestIdField.Name;

    /// <summary>Registers the writer ahead of the framework's own, which would refuse requests that do not accept JSON.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<IProblemDetailsWriter, ProblemAnswers>();
        services.AddProblemDetails();
    }

    /// <summary>Writes <paramref name="problem"/> (status, title, trace_id, request_id completed) as the answer.</summary>
    public static Task WriteAsync(HttpContext context, ProblemDetails problem) =>
        context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem })
            .AsTask();

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        http.Response.StatusCode = problem.Status.Value;
        if (string.IsNullOrEmpty(problem.Type) || string.IsNullOrEmpty(problem.Title))
        {
            // The framework's defaults for the status (the RFC 9110 section as type, the reason phrase as title).
            var defaults = TypedResults.Problem(statusCode: problem.Status).ProblemDetails;
            problem.Type ??= defaults.Type;
            problem.Title ??= defaults.Title ?? ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        }

        if (TraceId(http) is { } traceId)
        {
            problem.Extensions.TryAdd(TraceIdKey, traceId);
        }

        if (http.GetRequestId() is { } requestId)
        {
            problem.Extensions.TryAdd(RequestIdKey, requestId);
        }

        http.Response.ContentType = ContentType;
        if (HttpMethods.IsHead(http.Request.Method))
        {
            return ValueTask.CompletedTask;
        }

        var typeInfo = json.Value.SerializerOptions.GetTypeInfo(problem.GetType());
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, typeInfo, ContentType, http.RequestAborted));
    }

    /// <summary>The trace of the request's server span (the incoming <c>traceparent</c>'s when one was sent).</summary>
    private static string? TraceId(HttpContext context)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity ?? Activity.Current;
        if (activity is not null && activity.TraceId != default)
        {
            return activity.TraceId.ToHexString();
        }

        return ActivityContext.TryParse(context.Request.Headers.TraceParent, null, out var parent) ? parent.TraceId.ToHexString() : null;
    }
}
