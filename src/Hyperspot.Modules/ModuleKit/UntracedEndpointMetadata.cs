namespace Hyperspot.Modules.ModuleKit;

/// <summary>
/// Endpoint metadata that leaves the endpoint's requests out of the trace: no server span is exported for them, nor,
/// with a parent-based sampler (the default), the spans started while serving them. The requests still get a request
/// id, and their request log line is written at <c>debug</c>. Declared with <see cref="EndpointTracingExtensions.WithoutTracing{TBuilder}"/>.
/// </summary>
public sealed class UntracedEndpointMetadata
{
    public static readonly UntracedEndpointMetadata Instance = new();

    private UntracedEndpointMetadata()
    {
    }
}
