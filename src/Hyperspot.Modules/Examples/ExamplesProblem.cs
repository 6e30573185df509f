using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Examples;

/// <summary>The module's error answers: <c>application/problem+json</c> with <c>trace_id</c> and <c>request_id</c>.</summary>
public static class ExamplesProblem
{
    public static IResult Create(HttpContext http, int status, string title, string detail) =>
        Results.Problem(
            title: title,
            detail: detail,
            statusCode: status,
            extensions: new Dictionary<string, object?>
            {
                ["trace_id"] = Activity.Current?.TraceId.ToHexString(),
                ["request_id"] = http.GetRequestId(),
            });

    public static IResult BadRequest(HttpContext http, string detail) =>
        Create(http, StatusCodes.Status400BadRequest, "Bad Request", detail);

    public static IResult BadGateway(HttpContext http, string detail) =>
        Create(http, StatusCodes.Status502BadGateway, "Bad Gateway", detail);

    public static IResult GatewayTimeout(HttpContext http, string detail) =>
        Create(http, StatusCodes.Status504GatewayTimeout, "Gateway Timeout", detail);
}
