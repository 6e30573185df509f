using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Logging;
using Hyperspot.Server.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Reload;

/// <summary>Live configuration reload (<see cref="ConfigurationReloader"/>) and its status for <c>/health</c>.</summary>
public static class ReloadRegistration
{
    /// <param name="load">The layered load and validation the server started with, run again on each reload.</param>
    /// <param name="configPath">The <c>--config</c> file to watch, or null.</param>
    public static IServiceCollection AddConfigurationReload(
        this IServiceCollection services, Func<HyperspotSettings> load, string? configPath, HyperspotSettings running)
    {
        var status = new ReloadStatus();
        services.AddSingleton(status);
        services.AddSingleton<IConfigurationStatus>(status);
        services.AddSingleton(provider => new ConfigurationReloader(
            load,
            configPath,
            running,
            new ReloadTargets(provider.GetService<ReloadableSampler>(), provider.GetService<HeaderRecorder>(), provider.GetService<LiveLogLevels>()),
            status,
            provider.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(provider => provider.GetRequiredService<ConfigurationReloader>());
        return services;
    }
}
