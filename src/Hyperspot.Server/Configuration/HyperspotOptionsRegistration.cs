using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// Makes the bound and validated settings available to the services: the whole, and each host section (and each
/// module's options, see <see cref="AddBoundOptions"/>) as <see cref="IOptions{TOptions}"/>.
/// </summary>
public static class HyperspotOptionsRegistration
{
    public static IServiceCollection AddHyperspotOptions(this IServiceCollection services, HyperspotSettings settings)
    {
        services.AddSingleton(settings);
        services.AddBoundOptions(typeof(ServerSettings), settings.Server);
        services.AddBoundOptions(typeof(TracingSettings), settings.Tracing);
        services.AddBoundOptions(typeof(MetricsSettings), settings.Metrics);
        services.AddBoundOptions(typeof(LoggingSettings), settings.Logging);
        return services;
    }

    /// <summary>
    /// <paramref name="bound"/> as <c>IOptions&lt;T&gt;</c> of <paramref name="optionsType"/>; <c>IOptionsSnapshot</c>
    /// and <c>IOptionsMonitor</c> see the same object (not a fresh, unbound one with the defaults) because the options
    /// factory hands it out.
    /// </summary>
    public static IServiceCollection AddBoundOptions(this IServiceCollection services, Type optionsType, object bound)
    {
        services.AddOptions();
        services.AddSingleton(typeof(IOptions<>).MakeGenericType(optionsType), Activator.CreateInstance(typeof(OptionsWrapper<>).MakeGenericType(optionsType), bound)!);
        services.AddSingleton(typeof(IOptionsFactory<>).MakeGenericType(optionsType), Activator.CreateInstance(typeof(BoundOptionsFactory<>).MakeGenericType(optionsType), bound)!);
        return services;
    }

    /// <summary>Hands out the one bound options object, whatever the options name.</summary>
    private sealed class BoundOptionsFactory<TOptions>(TOptions bound) : IOptionsFactory<TOptions>
        where TOptions : class
    {
        public TOptions Create(string name) => bound;
    }
}
