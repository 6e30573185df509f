using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics;
using Hyperspot.Server.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// Describes the server span ASP.NET Core starts for every request (ActivitySource <c>Microsoft.AspNetCore</c>) per
/// the OpenTelemetry HTTP semantic conventions, the way the OpenTelemetry ASP.NET Core instrumentation does, but only
/// for spans that are recorded: an unsampled request, or one the pipeline took out of the trace (an endpoint declared
/// <c>.WithoutTracing()</c>), costs one Activity and nothing else. Requested headers are recorded
/// (<see cref="HeaderRecorder"/>), and an exception that escapes the pipeline is recorded on the span. Secrets are
/// masked (<see cref="SecretRedactor"/>): every query value (<c>url.query</c>), <c>;</c> parameters of the path, URLs
/// in the user agent and in the exception's text.
/// It runs right after routing, so the span it describes is the one of the whole request and knows its route.
/// </summary>
public sealed class ServerSpanMiddleware(RequestDelegate next, HeaderRecorder headers)
{
    public const string AspNetCoreSource = "Microsoft.AspNetCore";

    private const string OtherMethod = "_OTHER";

    private static readonly FrozenDictionary<string, string> KnownMethods = new[]
    {
        "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "TRACE", "PATCH", "CONNECT", "QUERY",
    }.ToFrozenDictionary(m => m, m => m, StringComparer.OrdinalIgnoreCase);

    private static readonly ConcurrentDictionary<(string Method, string Route), string> DisplayNames = new();
    private static readonly object?[] StatusCodes = Enumerable.Range(0, 600).Select(code => (object?)code).ToArray();
    private static readonly ConcurrentDictionary<int, object> Ports = new();

    public Task InvokeAsync(HttpContext context)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is not { IsAllDataRequested: true })
        {
            return next(context);
        }

        var method = Normalize(context.Request.Method);
        OnStart(activity, context.Request, method);
        return Describe(activity, context, method);
    }

    private async Task Describe(Activity activity, HttpContext context, string method)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex)
        {
            activity.SetTag("error.type", ex.GetType().FullName);
            activity.AddRedactedException(ex);
            activity.SetStatus(ActivityStatusCode.Error);
            throw;
        }
        finally
        {
            OnStop(activity, context, method);
        }
    }

    /// <summary>
    /// The request attributes. On a span that has no request attributes yet (the runtime creates it bare) they are
    /// appended (<see cref="Activity.AddTag(string, object?)"/>) instead of looked up and replaced one by one; should
    /// the runtime ever set some at creation, they are replaced as usual.
    /// </summary>
    private void OnStart(Activity activity, HttpRequest request, string method)
    {
        var append = activity.GetTagItem("url.path") is null;

        activity.DisplayName = method == OtherMethod ? "HTTP" : method;
        Tag(activity, append, "http.request.method", method);
        if (!ReferenceEquals(method, request.Method) && method != request.Method)
        {
            Tag(activity, append, "http.request.method_original", request.Method);
        }

        var host = request.Host;
        if (host.HasValue)
        {
            Tag(activity, append, "server.address", host.Host);
            if (host.Port is { } port)
            {
                Tag(activity, append, "server.port", Ports.GetOrAdd(port, static p => p));
            }
        }

        var userAgent = request.Headers.UserAgent;
        if (userAgent.Count > 0 && !string.IsNullOrEmpty(userAgent[0]))
        {
            Tag(activity, append, "user_agent.original", SecretRedactor.RedactText(userAgent[0]!));
        }

        Tag(activity, append, "url.scheme", request.Scheme);
        Tag(activity, append, "url.path", request.PathBase.HasValue || request.Path.HasValue ? SecretRedactor.RedactPath((request.PathBase + request.Path).ToString()) : "/");
        if (request.QueryString.HasValue)
        {
            Tag(activity, append, "url.query", SecretRedactor.RedactQuery(request.QueryString.Value!));
        }

        Tag(activity, append, "network.protocol.version", ProtocolVersion(request.Protocol));
        if (!headers.IsEmpty)
        {
            headers.Record(activity, request);
        }
    }

    private static void Tag(Activity activity, bool append, string key, object? value)
    {
        if (append)
        {
            activity.AddTag(key, value);
        }
        else
        {
            activity.SetTag(key, value);
        }
    }

    private static void OnStop(Activity activity, HttpContext context, string method)
    {
        var route = Route(context);
        if (!string.IsNullOrEmpty(route))
        {
            activity.DisplayName = DisplayNames.GetOrAdd((method == OtherMethod ? "HTTP" : method, route), static k => $"{k.Method} {k.Route}");
            activity.SetTag("http.route", route);
        }

        var status = context.Response.StatusCode;
        activity.SetTag("http.response.status_code", status is >= 0 and < 600 ? StatusCodes[status] : status);
        if (status >= 500)
        {
            if (activity.GetTagItem("error.type") is null)
            {
                activity.SetTag("error.type", StatusCodeText(status));
            }

            if (activity.Status == ActivityStatusCode.Unset)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }

    private static string? Route(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null && context.Items.TryGetValue("__OriginalEndpoint", out var original) && original is Endpoint stashed)
        {
            endpoint = stashed;
        }

        var route = endpoint?.Metadata.GetMetadata<IRouteDiagnosticsMetadata>()?.Route;
        return route is null ? null : route.Length == 0 ? "/" : route;
    }

    private static string Normalize(string method) => KnownMethods.TryGetValue(method, out var known) ? known : OtherMethod;

    private static string ProtocolVersion(string protocol) => protocol switch
    {
        "HTTP/1.0" => "1.0",
        "HTTP/1.1" => "1.1",
        "HTTP/2" => "2",
        "HTTP/3" => "3",
        _ => protocol,
    };

    private static readonly ConcurrentDictionary<int, string> StatusTexts = new();

    private static string StatusCodeText(int status) => StatusTexts.GetOrAdd(status, static s => s.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
