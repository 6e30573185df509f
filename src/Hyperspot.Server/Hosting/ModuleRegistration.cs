using Hyperspot.Modules;
using Hyperspot.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Hosting;

/// <summary>Registers the enabled modules' services (in dependency order) and maps their endpoints.</summary>
public static class ModuleRegistration
{
    public static WebApplicationBuilder AddModules(this WebApplicationBuilder builder, IReadOnlyList<IModule> ordered, HyperspotSettings settings)
    {
        builder.Services.TryAddSingleton<IUrlMasker, SecretRedactorUrlMasker>();
        var byClass = ordered.ToLookup(m => m.GetType());
        foreach (var module in ordered)
        {
            var moduleSettings = settings.Modules.ByName.GetValueOrDefault(module.Name) ?? new ModuleSettings();
            AddTelemetry(builder.Services, module, [.. byClass[module.GetType()]]);
            if (module.OptionsType is { } optionsType)
            {
                AddOptions(builder.Services, module, optionsType, moduleSettings.Options);
            }

            module.ConfigureServices(new ModuleServicesContext(module.Name, builder.Services));
        }

        var stopTimeout = TimeSpan.FromMilliseconds(Math.Max(100, settings.Server.ShutdownTimeoutMs / 2));
        builder.Services.AddHostedService(services => new ModuleHost(
            ordered,
            services,
            stopTimeout,
            services.GetRequiredService<ILogger<ModuleHost>>()));
        return builder;
    }

    /// <summary>
    /// The module's <see cref="ModuleTelemetry{TModule}"/>, built on first use and disposed with the container. When
    /// several modules share one class, the type cannot tell them apart: asking for it fails, naming them.
    /// </summary>
    private static void AddTelemetry(IServiceCollection services, IModule module, IReadOnlyList<IModule> sameClass)
    {
        var telemetryType = typeof(ModuleTelemetry<>).MakeGenericType(module.GetType());
        if (sameClass.Count > 1)
        {
            if (ReferenceEquals(sameClass[0], module))
            {
                var names = string.Join(", ", sameClass.Select(m => m.Name));
                services.AddSingleton(telemetryType, _ => throw new InvalidOperationException(
                    $"Modules {names} are all {module.GetType().Name}: ModuleTelemetry<{module.GetType().Name}> cannot tell them apart; give each module its own class."));
            }

            return;
        }

        services.AddSingleton(telemetryType, _ => Activator.CreateInstance(telemetryType, module)!);
    }

    /// <summary>
    /// The bound options as <c>IOptions&lt;TOptions&gt;</c>; <c>IOptionsSnapshot</c> and <c>IOptionsMonitor</c> see the
    /// same object (not a fresh, unbound one) because the options factory hands it out.
    /// </summary>
    private static void AddOptions(IServiceCollection services, IModule module, Type optionsType, object? bound)
    {
        if (bound is null || !optionsType.IsInstanceOfType(bound))
        {
            throw new InvalidOperationException($"Module '{module.Name}' declares options of type {optionsType.Name}, but none were bound.");
        }

        services.AddBoundOptions(optionsType, bound);
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
