using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hyperspot.Server.Configuration;

/// <summary>Makes the bound and validated settings available to the services: the whole, and each host section as <see cref="IOptions{TOptions}"/>.</summary>
public static class HyperspotOptionsRegistration
{
    public static IServiceCollection AddHyperspotOptions(this IServiceCollection services, HyperspotSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(Options.Create(settings.Server));
        services.AddSingleton(Options.Create(settings.Tracing));
        services.AddSingleton(Options.Create(settings.Metrics));
        services.AddSingleton(Options.Create(settings.Logging));
        return services;
    }
}
