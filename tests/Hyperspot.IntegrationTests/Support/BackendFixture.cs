using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Support;

/// <summary>One real OTLP backend (the Aspire Dashboard) shared by the tests of a collection; tests tell their data apart by service name.</summary>
public sealed class BackendFixture : IAsyncLifetime
{
    public AspireDashboard Backend { get; private set; } = null!;

    public async Task InitializeAsync() => Backend = await AspireDashboard.StartAsync();

    public async Task DisposeAsync() => await Backend.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class BackendCollection : ICollectionFixture<BackendFixture>
{
    public const string Name = "real OTLP backend";
}
