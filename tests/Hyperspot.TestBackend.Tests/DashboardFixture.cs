namespace Hyperspot.TestBackend.Tests;

/// <summary>One dashboard shared by the tests of a class; tests tell their data apart by service name.</summary>
public class DashboardFixture : IAsyncLifetime
{
    private AspireDashboard? _dashboard;

    public AspireDashboard Dashboard => _dashboard ?? throw new InvalidOperationException("Not started.");

    protected virtual AspireDashboardOptions Options => new();

    public async Task InitializeAsync() => _dashboard = await AspireDashboard.StartAsync(Options);

    public async Task DisposeAsync()
    {
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }
    }
}

/// <summary>A dashboard whose OTLP receivers require an API key.</summary>
public sealed class ApiKeyDashboardFixture : DashboardFixture
{
    public const string Key = "test-otlp-key-7f3a";

    protected override AspireDashboardOptions Options => new() { ApiKey = Key };
}
