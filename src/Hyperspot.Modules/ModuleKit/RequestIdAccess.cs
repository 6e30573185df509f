using Microsoft.AspNetCore.Http;

namespace Hyperspot.Modules.ModuleKit;

/// <summary>The request id of the current request (taken from <c>tracing.http.inject_request_id_header</c> or generated).</summary>
public static class RequestIdAccess
{
    /// <summary>The request id, or null when request ids are turned off.</summary>
    public static string? GetRequestId(this HttpContext context) => context.Features.Get<RequestIdFeature>()?.Id;
}
