using Microsoft.AspNetCore.Builder;

namespace Hyperspot.Modules.ModuleKit;

/// <summary>How a module declares which of its endpoints are traced: all are, unless marked.</summary>
public static class EndpointTracingExtensions
{
    /// <summary>
    /// Leaves the endpoint (or every endpoint of a route group) out of the trace, as for health probes that are called
    /// every few seconds: adds <see cref="UntracedEndpointMetadata"/>.
    /// </summary>
    public static TBuilder WithoutTracing<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(UntracedEndpointMetadata.Instance);
}
