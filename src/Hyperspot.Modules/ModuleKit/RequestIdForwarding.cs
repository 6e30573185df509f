namespace Hyperspot.Modules.ModuleKit;

/// <summary>
/// The request id of the request being served, for outgoing calls: the host's request id middleware sets it, and
/// <see cref="RequestIdForwardingHandler"/> puts it on every call made while the request runs (in its async flow,
/// background work it starts included).
/// </summary>
public static class RequestIdForwarding
{
    private static readonly AsyncLocal<ForwardedRequestId?> Slot = new();

    /// <summary>The header name and id to forward, or null outside a request (or with request ids turned off).</summary>
    public static ForwardedRequestId? Current => Slot.Value;

    /// <summary>
    /// Makes <paramref name="requestId"/> the id forwarded under <paramref name="headerName"/> by the code that runs from
    /// here on. Called from an async method, the value is gone for its caller once the method returns.
    /// </summary>
    public static void Set(string headerName, string requestId) => Slot.Value = new ForwardedRequestId(headerName, requestId);
}

/// <summary>A request id and the header it travels in.</summary>
public sealed record ForwardedRequestId(string HeaderName, string RequestId);
