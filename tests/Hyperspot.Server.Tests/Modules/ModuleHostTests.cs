using System.Diagnostics;
using Hyperspot.Modules;
using Hyperspot.Server.Hosting;
using Hyperspot.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Tests.Modules;

/// <summary>Starting in dependency order, stopping in reverse, and a stop that misbehaves.</summary>
public class ModuleHostTests
{
    /// <summary>The bound the hanging and blocking stops are cut off at.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMilliseconds(1000);

    /// <summary>
    /// The bound everywhere else: long enough that a stop queued behind a busy thread pool (the whole suite runs on
    /// two cores) is never taken for a hanging one.
    /// </summary>
    private static readonly TimeSpan GenerousStopTimeout = TimeSpan.FromSeconds(30);

    private static (ModuleHost Host, ListLogger<ModuleHost> Logger) Host(params IModule[] modules) => Host(GenerousStopTimeout, modules);

    private static (ModuleHost Host, ListLogger<ModuleHost> Logger) Host(TimeSpan stopTimeout, params IModule[] modules)
    {
        var logger = new ListLogger<ModuleHost>();
        return (new ModuleHost(modules, new ServiceCollection().BuildServiceProvider(), stopTimeout, logger), logger);
    }

    [Fact]
    public async Task Modules_start_in_order_and_stop_in_reverse_order()
    {
        var journal = new ModuleJournal();
        var (host, _) = Host(new FakeModule("db") { Journal = journal }, new FakeModule("cache") { Journal = journal }, new FakeModule("api") { Journal = journal });

        await host.StartAsync(CancellationToken.None);
        await host.StopAsync(CancellationToken.None);

        Assert.Equal(["start db", "start cache", "start api", "stop api", "stop cache", "stop db"], journal.Entries);
    }

    [Fact]
    public async Task A_hanging_stop_is_abandoned_after_the_timeout_and_the_others_still_stop()
    {
        var journal = new ModuleJournal();
        var (host, logger) = Host(
            StopTimeout,
            new FakeModule("db") { Journal = journal },
            new FakeModule("stuck") { Journal = journal, OnStop = FakeModule.Hang },
            new FakeModule("api") { Journal = journal });
        await host.StartAsync(CancellationToken.None);

        var clock = Stopwatch.StartNew();
        await host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.InRange(clock.Elapsed, StopTimeout * 0.9, TimeSpan.FromSeconds(5));
        Assert.Equal(["stop api", "stop stuck", "stop db"], journal.Entries.Where(e => e.StartsWith("stop")));
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("stuck", warning.Message);
    }

    [Fact]
    public async Task A_stop_that_ignores_cancellation_cannot_delay_shutdown_past_the_hosts_own_deadline()
    {
        var journal = new ModuleJournal();
        var logger = new ListLogger<ModuleHost>();
        var host = new ModuleHost([new FakeModule("stuck") { Journal = journal, OnStop = FakeModule.Hang }], new ServiceCollection().BuildServiceProvider(), TimeSpan.FromMinutes(5), logger);
        await host.StartAsync(CancellationToken.None);
        using var hostDeadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await host.StopAsync(hostDeadline.Token).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("stuck"));
    }

    /// <summary><c>server.shutdown_timeout_ms: 0</c>: the host's token is cancelled from the start, which means "do not wait".</summary>
    [Fact]
    public async Task With_a_zero_budget_every_module_is_asked_to_stop_none_is_waited_for_and_nothing_is_a_warning()
    {
        var journal = new ModuleJournal();
        var logger = new ListLogger<ModuleHost>();
        var services = new ServiceCollection().Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.Zero).BuildServiceProvider();
        var host = new ModuleHost(
            [new FakeModule("db") { Journal = journal }, new FakeModule("stuck") { Journal = journal, OnStop = FakeModule.Hang }, new FakeModule("api") { Journal = journal }],
            services,
            GenerousStopTimeout,
            logger);
        await host.StartAsync(CancellationToken.None);
        using var noTime = new CancellationTokenSource();
        await noTime.CancelAsync();

        await host.StopAsync(noTime.Token).WaitAsync(TimeSpan.FromSeconds(10));

        await WaitUntilAsync(() => journal.Entries.Count(e => e.StartsWith("stop", StringComparison.Ordinal)) == 3);
        Assert.Equal(["stop api", "stop db", "stop stuck"], journal.Entries.Where(e => e.StartsWith("stop", StringComparison.Ordinal)).Order());
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Modules_whose_turn_comes_after_the_budget_ran_out_are_asked_to_stop_and_named_in_one_warning()
    {
        var journal = new ModuleJournal();
        var (host, logger) = Host(
            new FakeModule("db") { Journal = journal },
            new FakeModule("cache") { Journal = journal },
            new FakeModule("stuck") { Journal = journal, OnStop = FakeModule.Hang },
            new FakeModule("api") { Journal = journal });
        await host.StartAsync(CancellationToken.None);
        using var budget = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await host.StopAsync(budget.Token).WaitAsync(TimeSpan.FromSeconds(10));

        await WaitUntilAsync(() => journal.Entries.Contains("stop db"));
        Assert.Contains("stop cache", journal.Entries);
        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("stuck") && w.Contains("server.shutdown_timeout_ms ran out"));
        Assert.Contains(warnings, w => w.Contains("cache, db") && w.Contains("not waited for"));
    }

    [Fact]
    public async Task A_stop_that_blocks_its_thread_is_bounded_too()
    {
        using var release = new ManualResetEventSlim();
        var journal = new ModuleJournal();
        var (host, logger) = Host(
            StopTimeout,
            new FakeModule("db") { Journal = journal },
            new FakeModule("blocking") { Journal = journal, OnStop = _ => { release.Wait(TimeSpan.FromSeconds(30)); return Task.CompletedTask; } });
        await host.StartAsync(CancellationToken.None);

        try
        {
            await host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            release.Set();
        }

        Assert.Equal(["stop blocking", "stop db"], journal.Entries.Where(e => e.StartsWith("stop")));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("blocking"));
    }

    [Fact]
    public async Task Two_simultaneous_stops_stop_each_module_once_and_both_wait_for_it()
    {
        var slowStopDone = new TaskCompletionSource();
        var journal = new ModuleJournal();
        var (host, logger) = Host(
            new FakeModule("db") { Journal = journal },
            new FakeModule("slow") { Journal = journal, OnStop = async _ => { await Task.Delay(100); slowStopDone.SetResult(); } });
        await host.StartAsync(CancellationToken.None);

        var first = host.StopAsync(CancellationToken.None);
        var second = host.StopAsync(CancellationToken.None);
        await second;

        Assert.True(slowStopDone.Task.IsCompleted, "the second caller returned before the modules had stopped");
        await first;
        Assert.Equal(["stop slow", "stop db"], journal.Entries.Where(e => e.StartsWith("stop")));
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_failing_stop_is_logged_with_its_exception_and_the_others_still_stop()
    {
        var journal = new ModuleJournal();
        var (host, logger) = Host(
            new FakeModule("db") { Journal = journal },
            new FakeModule("broken") { Journal = journal, OnStop = _ => Task.FromException(new InvalidOperationException("disk on fire")) },
            new FakeModule("sync-broken") { Journal = journal, OnStop = _ => throw new IOException("socket gone") },
            new FakeModule("api") { Journal = journal });
        await host.StartAsync(CancellationToken.None);

        await host.StopAsync(CancellationToken.None);

        Assert.Equal(["stop api", "stop sync-broken", "stop broken", "stop db"], journal.Entries.Where(e => e.StartsWith("stop")));
        var errors = logger.Entries.Where(e => e.Level == LogLevel.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Message.Contains("broken") && e.Exception is InvalidOperationException);
        Assert.Contains(errors, e => e.Message.Contains("sync-broken") && e.Exception is IOException);
    }

    [Fact]
    public async Task When_a_start_fails_only_the_modules_already_started_are_stopped()
    {
        var journal = new ModuleJournal();
        var (host, _) = Host(
            new FakeModule("db") { Journal = journal },
            new FakeModule("bad") { Journal = journal, OnStart = _ => throw new InvalidOperationException("no") },
            new FakeModule("api") { Journal = journal });

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(CancellationToken.None));
        await host.StopAsync(CancellationToken.None);

        Assert.Equal(["start db", "start bad", "stop db"], journal.Entries);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the modules were never asked to stop");
            await Task.Delay(10);
        }
    }
}
