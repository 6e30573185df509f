using Hyperspot.Modules;
using Hyperspot.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Hosting;

/// <summary>Registers the enabled modules' services (in dependency order) and maps their endpoints.</summary>
public static class ModuleRegistration
{
    public static WebApplicationBuilder AddModules(this WebApplicationBuilder builder, IReadOnlyList<IModule> ordered, HyperspotSettings settings)
    {
        builder.Services.TryAddSingleton<IUrlMasker, SecretRedactorUrlMasker>();
        foreach (var module in ordered)
        {
            var moduleSettings = settings.Modules.ByName.GetValueOrDefault(module.Name) ?? new ModuleSettings();
            var activitySource = ModuleActivitySource.Create(module.Name);
            builder.Services.AddKeyedSingleton(module.Name, activitySource);
            if (moduleSettings.Options is { } options)
            {
                builder.Services.AddSingleton(options.GetType(), options);
            }

            module.ConfigureServices(new ModuleServicesContext(module.Name, builder.Services, moduleSettings.Config, moduleSettings.Options, activitySource));
        }

        var stopTimeout = TimeSpan.FromMilliseconds(Math.Max(100, settings.Server.ShutdownTimeoutMs / 2));
        builder.Services.AddHostedService(services => new ModuleHost(
            ordered,
            services,
            stopTimeout,
            services.GetRequiredService<ILogger<ModuleHost>>()));
        return builder;
    }

    public static IEndpointRouteBuilder MapModules(this IEndpointRouteBuilder routes, IReadOnlyList<IModule> ordered)
    {
        foreach (var module in ordered)
        {
            var api = routes.MapGroup($"/{module.Name}/v1").WithTags(module.Name);
            module.MapEndpoints(new ModuleEndpointContext(routes, api));
        }

        return routes;
    }
}
