namespace Hyperspot.Modules.ModuleKit;

/// <summary>The name under which the request id appears to users: on log lines and in problem answers.</summary>
public static class RequestIdField
{
    /// <summary><c>request_id</c>: the log event property and the member of every <c>application/problem+json</c> answer.</summary>
    public const string Name = "request_id";
}
