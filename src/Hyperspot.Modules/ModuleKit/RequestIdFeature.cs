namespace Hyperspot.Modules.ModuleKit;

/// <summary>
/// The request's id, as the host's request id middleware set it on the request's features; read it with
/// <see cref="RequestIdAccess.GetRequestId"/>. A feature rather than an entry of <c>HttpContext.Items</c>: the server
/// keeps its feature slots from request to request on a connection, where the items dictionary is allocated anew for
/// every request.
/// </summary>
public sealed class RequestIdFeature(string id)
{
    public string Id { get; } = id;
}
