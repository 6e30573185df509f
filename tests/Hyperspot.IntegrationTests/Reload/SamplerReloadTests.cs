using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Reload;

/// <summary>
/// The sampler turned up during an incident, without a restart: edited in the file, or read on SIGHUP, under a
/// steady load. New traces reach the backend from the moment of the change; no request fails.
/// </summary>
[Collection(BackendCollection.Name)]
public sealed class SamplerReloadTests(BackendFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>How soon after the change the first new trace may start (the watcher's debounce, the reload, margin).</summary>
    private static readonly TimeSpan Allowed = TimeSpan.FromSeconds(2);

    private AspireDashboard Backend => fixture.Backend;

    private string Config(string strategy) => ReloadConfigs.With(Backend.OtlpGrpcEndpoint.ToString(), strategy);

    [Fact]
    public async Task Editing_the_file_from_always_off_to_always_on_exports_new_traces_without_failed_requests()
    {
        await using var server = await ReloadingServer.StartAsync(Config("always_off"));
        await using var load = new SteadyLoad(server.Client, "/examples/v1/users/42");
        await load.WaitForMoreAsync(20, Wait);
        await Backend.ExpectNoSpansAsync(s => s.ServiceName == server.ServiceName, TimeSpan.FromSeconds(1));

        var edited = DateTimeOffset.UtcNow;
        await server.WriteAsync(Config("always_on"));

        var first = await FirstSpanStartAsync(server);
        Assert.True(first - edited < Allowed, $"the first new trace started {(first - edited).TotalMilliseconds:0} ms after the edit");
        var config = await server.WaitForReloadAsync("applied", 2, Wait);
        Assert.Equal(2, config.GetProperty("generation").GetInt64());
        Assert.Contains("tracing.sampler.strategy = always_off -> always_on", server.Process.StandardOutput);
        await load.WaitForMoreAsync(20, Wait);
        Assert.True(load.Failed == 0, $"{load.Failed} of {load.Answered} requests failed; first: {load.FirstFailure}");
    }

    /// <summary>
    /// The configuration is a link to a file elsewhere (as mounted configurations are): its change is not seen by the
    /// watcher, and nothing changes until SIGHUP.
    /// </summary>
    [Fact]
    public async Task SIGHUP_reads_the_changed_sampler_and_new_traces_are_exported_without_failed_requests()
    {
        await using var server = await ReloadingServer.StartAsync(Config("always_off"), linked: true);
        await using var load = new SteadyLoad(server.Client, "/examples/v1/users/42");
        await load.WaitForMoreAsync(20, Wait);

        await server.WriteAsync(Config("always_on"));
        await Backend.ExpectNoSpansAsync(s => s.ServiceName == server.ServiceName, TimeSpan.FromSeconds(1.5));
        Assert.Equal(1, (await server.ConfigHealthAsync()).GetProperty("generation").GetInt64());

        var signalled = DateTimeOffset.UtcNow;
        server.Hangup();

        var first = await FirstSpanStartAsync(server);
        Assert.True(first - signalled < Allowed, $"the first new trace started {(first - signalled).TotalMilliseconds:0} ms after SIGHUP");
        await server.WaitForReloadAsync("applied", 2, Wait);
        Assert.Contains("Configuration reloaded (SIGHUP)", server.Process.StandardOutput);
        await load.WaitForMoreAsync(20, Wait);
        Assert.True(load.Failed == 0, $"{load.Failed} of {load.Answered} requests failed; first: {load.FirstFailure}");
        Assert.False(server.Process.HasExited);
    }

    private async Task<DateTimeOffset> FirstSpanStartAsync(ReloadingServer server)
    {
        var spans = await Backend.WaitForSpansAsync(all => all.Any(s => s.ServiceName == server.ServiceName), Wait);
        return spans.Where(s => s.ServiceName == server.ServiceName).Min(s => s.StartTime);
    }
}
