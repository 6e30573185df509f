using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using Hyperspot.IntegrationTests.Support;
using Hyperspot.Modules;
using Hyperspot.Modules.Health;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Hosting;
using Hyperspot.TestBackend;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.IntegrationTests.Reliability;

/// <summary>
/// A module whose stop hangs must not hold shutdown past its bound. The shipped modules never hang and the server
/// process takes no module from outside, so this runs <see cref="ModuleHost"/>, and the real application built by
/// <see cref="HyperspotApplication"/>, in the test process with fake modules.
/// </summary>
public sealed class ModuleStopTests
{
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(1000);

    [Fact]
    public async Task A_stop_that_never_completes_is_abandoned_after_the_stop_timeout_and_the_others_still_stop()
    {
        var first = FakeModule.Healthy("first");
        var hanging = FakeModule.NeverStops("hanging");
        var last = FakeModule.Healthy("last");
        var logger = new ListLogger();
        var host = new ModuleHost([first, hanging, last], new EmptyServices(), TimeSpan.FromMilliseconds(500), logger);
        await host.StartAsync(CancellationToken.None);

        var took = await TimeAsync(() => host.StopAsync(CancellationToken.None));

        Assert.InRange(took, TimeSpan.FromMilliseconds(450), TimeSpan.FromMilliseconds(500) + Slack);
        Assert.True(first.Stopped && last.Stopped, "the modules around the hanging one must stop");
        Assert.Equal(["last", "hanging", "first"], FakeModule.StopOrder(first, hanging, last));
        Assert.Contains(logger.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("hanging") && l.Contains("did not stop within 500 ms"));
    }

    [Fact]
    public async Task Several_hanging_modules_together_are_bounded_by_the_hosts_shutdown_token_not_by_their_number()
    {
        var healthy = FakeModule.Healthy("healthy");
        var hanging = Enumerable.Range(1, 4).Select(i => FakeModule.NeverStops($"hanging{i}")).ToList();
        var host = new ModuleHost([healthy, .. hanging], new EmptyServices(), TimeSpan.FromMilliseconds(1000), new ListLogger());
        await host.StartAsync(CancellationToken.None);
        using var shutdown = new CancellationTokenSource(TimeSpan.FromMilliseconds(1500));

        var took = await TimeAsync(() => host.StopAsync(shutdown.Token));

        Assert.True(took < TimeSpan.FromMilliseconds(1500) + Slack, $"stopping took {took.TotalMilliseconds:0} ms for 4 hanging modules (1000 ms each, host token 1500 ms)");
    }

    [Fact]
    public async Task Modules_reached_after_the_hosts_deadline_are_still_asked_to_stop()
    {
        var healthy = FakeModule.Healthy("healthy");
        var host = new ModuleHost([healthy, FakeModule.NeverStops("hanging")], new EmptyServices(), TimeSpan.FromMilliseconds(1000), new ListLogger());
        await host.StartAsync(CancellationToken.None);
        using var shutdown = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await TimeAsync(() => host.StopAsync(shutdown.Token));

        // Past the deadline a stop is started (with a cancelled token) but no longer waited for.
        for (var i = 0; i < 100 && !healthy.StopCalled; i++)
        {
            await Task.Delay(10);
        }

        Assert.True(healthy.StopCalled, "the module reached after the deadline was never asked to stop");
    }

    [Fact]
    public async Task A_stop_that_throws_does_not_stop_the_others()
    {
        var first = FakeModule.Healthy("first");
        var throws = new FakeModule("throws", _ => throw new InvalidOperationException("boom"));
        var last = FakeModule.Healthy("last");
        var logger = new ListLogger();
        var host = new ModuleHost([first, throws, last], new EmptyServices(), TimeSpan.FromMilliseconds(500), logger);
        await host.StartAsync(CancellationToken.None);

        await TimeAsync(() => host.StopAsync(CancellationToken.None));

        Assert.True(first.Stopped && last.Stopped);
        Assert.Contains(logger.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("throws") && l.Contains("boom"));
    }

    [Fact]
    public async Task A_stop_that_blocks_its_calling_thread_is_bounded_too()
    {
        var first = FakeModule.Healthy("first");
        var blocks = new FakeModule("blocks", _ =>
        {
            // A stop that does its waiting synchronously before handing back a task.
            Thread.Sleep(TimeSpan.FromSeconds(5));
            return Task.CompletedTask;
        });
        var host = new ModuleHost([first, blocks], new EmptyServices(), TimeSpan.FromMilliseconds(500), new ListLogger());
        await host.StartAsync(CancellationToken.None);

        var took = await TimeAsync(() => host.StopAsync(CancellationToken.None));

        Assert.True(took < TimeSpan.FromMilliseconds(500) + Slack, $"stopping took {took.TotalMilliseconds:0} ms with a module that blocks 5 s (stop timeout 500 ms)");
        Assert.True(first.Stopped);
    }

    [Fact]
    public async Task The_real_application_stops_within_shutdown_timeout_ms_with_a_hanging_module()
    {
        var home = Directory.CreateTempSubdirectory("hyperspot-it-").FullName;
        try
        {
            var port = FreePorts.Pick();
            var path = System.IO.Path.Combine(home, "config.yaml");
            await File.WriteAllTextAsync(path, $$"""
                server:
                  home_dir: "{{home}}"
                  port: {{port}}
                  shutdown_timeout_ms: 2000
                logging:
                  default:
                    console_level: "off"
                    file: "logs/hyperspot.log"
                """);
            var before = FakeModule.Healthy("before");
            var hanging = FakeModule.NeverStops("hanging");
            IModule[] modules = [new SystemModule(), before, hanging];
            var settings = HyperspotSettings.Read(ConfigurationLoader.Load(path, [], new Hashtable()), modules);
            await using var app = HyperspotApplication.Build(settings, modules, new HyperspotArguments());
            await app.StartAsync();
            using (var client = new HttpClient())
            {
                Assert.Equal("ok", await client.GetStringAsync($"http://127.0.0.1:{port}/healthz"));
            }

            var took = await TimeAsync(() => app.StopAsync());

            Assert.True(took < TimeSpan.FromMilliseconds(2000) + Slack, $"the application took {took.TotalMilliseconds:0} ms to stop (shutdown_timeout_ms 2000)");
            Assert.True(hanging.StopCalled && before.Stopped, "the module started before the hanging one must still stop");
            var log = await LogFile.WaitForLinesAsync(System.IO.Path.Combine(home, "logs", "hyperspot.log"), l => l.Any(x => x.Contains("did not stop within")));
            Assert.Contains(log, l => l.Contains("Module hanging did not stop within 1000 ms"));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        var task = action();
        var finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(finished == task, "stopping never finished (gave up after 20 s)");
        await task;
        return watch.Elapsed;
    }

    private sealed class FakeModule(string name, Func<CancellationToken, Task> stop) : IModule
    {
        private static long _sequence;

        public string Name => name;

        public bool StopCalled { get; private set; }

        public bool Stopped { get; private set; }

        public long StoppedAt { get; private set; } = long.MaxValue;

        public static FakeModule Healthy(string name) => new(name, _ => Task.CompletedTask);

        /// <summary>A stop that never completes and ignores its cancellation token.</summary>
        public static FakeModule NeverStops(string name) => new(name, _ => new TaskCompletionSource().Task);

        public static List<string> StopOrder(params FakeModule[] modules) =>
            [.. modules.Where(m => m.StopCalled).OrderBy(m => m.StoppedAt).Select(m => m.Name)];

        public Task StartAsync(IServiceProvider services, CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(IServiceProvider services, CancellationToken cancellationToken)
        {
            StopCalled = true;
            StoppedAt = Interlocked.Increment(ref _sequence);
            await stop(cancellationToken);
            Stopped = true;
        }
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private sealed class ListLogger : ILogger<ModuleHost>
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
    }
}
