using Hyperspot.Server.Configuration;
using Hyperspot.Server.Logging;
using Hyperspot.Server.Reload;
using Hyperspot.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Serilog.Events;

namespace Hyperspot.Server.Tests.Reload;

/// <summary>The watched file written in place (not replaced by a rename, which the integration tests do) is reloaded.</summary>
public sealed class ConfigurationWatchTests
{
    private const string Quiet = "logging:\n  default:\n    console_level: \"info\"\n    file: \"\"\n";

    [Fact]
    public async Task A_file_rewritten_in_place_is_applied_and_a_half_written_one_is_not()
    {
        using var directory = new TempDirectory("hyperspot-reload-");
        var path = directory.Write("config.yaml", Quiet);
        HyperspotSettings Load() => HyperspotSettings.Read(ConfigurationLoader.Load(path, [], new System.Collections.Hashtable()), []);
        var running = Load();
        var levels = new LiveLogLevels(running.Logging, writeFile: false);
        var status = new ReloadStatus();
        using var reloader = new ConfigurationReloader(Load, path, running, new ReloadTargets(null, null, levels), status, NullLoggerFactory.Instance);
        await reloader.StartAsync(CancellationToken.None);

        await File.WriteAllTextAsync(path, "logging:\n  default:\n    console_level: \"deb");
        await WaitUntil(() => status.LastReload is not null, "the half-written file to be read");
        Assert.Equal((1, ReloadStatus.Failed), (status.Generation, status.LastReload!.Result));
        Assert.Equal(LogEventLevel.Information, levels.Current.Gate("Any.Category"));

        await File.WriteAllTextAsync(path, Quiet.Replace("info", "debug"));
        await WaitUntil(() => status.Generation == 2, "the complete file to be applied");
        Assert.Equal(ReloadStatus.Applied, status.LastReload!.Result);
        Assert.Equal(LogEventLevel.Debug, levels.Current.Gate("Any.Category"));
        await reloader.StopAsync(CancellationToken.None);
    }

    /// <summary>
    /// The web server is a hosted service that starts before those registered after it; a change made while it starts
    /// (or a SIGHUP sent as soon as it listens) must already find the reloader watching.
    /// </summary>
    [Fact]
    public async Task The_file_is_watched_before_any_service_starts()
    {
        using var directory = new TempDirectory("hyperspot-reload-");
        var path = directory.Write("config.yaml", Quiet);
        HyperspotSettings Load() => HyperspotSettings.Read(ConfigurationLoader.Load(path, [], new System.Collections.Hashtable()), []);
        var running = Load();
        var levels = new LiveLogLevels(running.Logging, writeFile: false);
        var status = new ReloadStatus();
        using var reloader = new ConfigurationReloader(Load, path, running, new ReloadTargets(null, null, levels), status, NullLoggerFactory.Instance);
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddHostedService(_ => new WritesAtStart(path, Quiet.Replace("info", "debug")));
        builder.Services.AddSingleton(reloader);
        builder.Services.AddHostedService(provider => provider.GetRequiredService<ConfigurationReloader>());
        using var host = builder.Build();

        await host.StartAsync();

        await WaitUntil(() => status.LastReload?.Result == ReloadStatus.Applied, "the change made while the first service started to be applied");
        Assert.Equal(LogEventLevel.Debug, levels.Current.Gate("Any.Category"));
        await host.StopAsync();
    }

    /// <summary>Stands for the web server: a service registered first, which changes the file as it starts.</summary>
    private sealed class WritesAtStart(string path, string content) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => File.WriteAllTextAsync(path, content, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
