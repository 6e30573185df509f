using Microsoft.AspNetCore.Routing;

namespace Hyperspot.Modules.ModuleKit;

/// <summary>Where a module maps its endpoints.</summary>
public sealed class ModuleEndpointContext(IEndpointRouteBuilder root, RouteGroupBuilder api)
{
    /// <summary>The application root, for the few endpoints that live outside <c>/&lt;name&gt;/v1</c> (health probes).</summary>
    public IEndpointRouteBuilder Root { get; } = root;

    /// <summary>The module's route group <c>/&lt;name&gt;/v1</c>, tagged with the module name for OpenAPI.</summary>
    public RouteGroupBuilder Api { get; } = api;
}
