namespace Hyperspot.Server.Tests.Support;

/// <summary>
/// Tests that build hosts. A host sets process-wide state while it is built (the trace context propagators), so
/// these tests run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostCollection
{
    public const string Name = "hosts";
}
