using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hyperspot.Modules;
using Hyperspot.Server.Hosting;
using Hyperspot.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Tests.Host;

/// <summary>Fake modules in a real host (Kestrel on a free port): routes, options, the lifecycle, a hanging stop.</summary>
[Collection(HostCollection.Name)]
public sealed class ModuleHostingTests : IDisposable
{
    private readonly TempDirectory _home = new("hyperspot-modules-");

    public void Dispose() => _home.Dispose();

    private WebApplication Build(string modulesYaml, IReadOnlyList<IModule> modules, int shutdownTimeoutMs = 10_000)
    {
        var yaml = $"server:\n  home_dir: {_home.Path}\n  port: 0\n  shutdown_timeout_ms: {shutdownTimeoutMs}\ntracing:\n  enabled: false\n{modulesYaml}";
        return HyperspotApplication.Build(Config.Read(yaml, modules: modules), modules, new HyperspotArguments());
    }

    [Fact]
    public async Task Enabled_modules_start_in_dependency_order_serve_their_routes_and_stop_in_reverse()
    {
        var journal = new ModuleJournal();
        IModule[] modules =
        [
            new FakeModule("beta", "alpha") { Journal = journal, OptionsType = typeof(FakeOptions) },
            new FakeModule("alpha") { Journal = journal },
            new FakeModule("gamma") { Journal = journal },
        ];
        await using var app = Build("modules:\n  gamma:\n    enabled: false\n  beta:\n    config:\n      count: 42\n", modules);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        Assert.Equal("pong from alpha", await client.GetStringAsync("/alpha/v1/ping"));
        using (var options = JsonDocument.Parse(await client.GetStringAsync("/beta/v1/ping")))
        {
            Assert.Equal(42, options.RootElement.GetProperty("count").GetInt32());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/gamma/v1/ping")).StatusCode);
        await app.StopAsync();

        Assert.Equal(["start alpha", "start beta", "stop beta", "stop alpha"], journal.Entries);
    }

    [Fact]
    public async Task A_module_whose_stop_hangs_does_not_block_shutdown()
    {
        var journal = new ModuleJournal();
        IModule[] modules =
        [
            new FakeModule("first") { Journal = journal },
            new FakeModule("stuck") { Journal = journal, OnStop = FakeModule.Hang },
            new FakeModule("last") { Journal = journal },
        ];
        await using var app = Build("", modules, shutdownTimeoutMs: 1000);
        await app.StartAsync();

        var clock = Stopwatch.StartNew();
        await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"shutdown took {clock.Elapsed}");
        Assert.Equal(["stop last", "stop stuck", "stop first"], journal.Entries.Where(e => e.StartsWith("stop")));
    }

    [Fact]
    public async Task A_module_whose_stop_fails_does_not_keep_the_others_from_stopping()
    {
        var journal = new ModuleJournal();
        IModule[] modules =
        [
            new FakeModule("first") { Journal = journal },
            new FakeModule("broken") { Journal = journal, OnStop = _ => throw new InvalidOperationException("boom") },
        ];
        var app = Build("", modules);
        await app.StartAsync();

        await app.StopAsync();
        await app.DisposeAsync(); // flushes the log file

        Assert.Equal(["stop broken", "stop first"], journal.Entries.Where(e => e.StartsWith("stop")));
        var log = await File.ReadAllTextAsync(Path.Combine(_home.Path, "logs", "hyperspot.log"));
        Assert.Contains("broken", log);
        Assert.Contains("boom", log);
    }

    [Fact]
    public async Task When_a_module_fails_to_start_the_modules_already_started_are_stopped_and_the_server_does_not_listen()
    {
        var journal = new ModuleJournal();
        IModule[] modules =
        [
            new FakeModule("db") { Journal = journal },
            new FakeModule("bad", "db") { Journal = journal, OnStart = _ => throw new InvalidOperationException("no database") },
            new FakeModule("api", "bad") { Journal = journal },
        ];
        var app = Build("", modules);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        var urls = app.Urls.ToList();
        await app.DisposeAsync(); // flushes the log file

        Assert.Equal("no database", failure.Message);
        Assert.Equal(["start db", "start bad", "stop db"], journal.Entries);
        Assert.Empty(urls);
        var log = await File.ReadAllTextAsync(Path.Combine(_home.Path, "logs", "hyperspot.log"));
        Assert.Contains("Module bad failed to start", log);
    }
}
