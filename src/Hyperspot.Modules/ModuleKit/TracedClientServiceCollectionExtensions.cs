using Microsoft.Extensions.DependencyInjection;

namespace Hyperspot.Modules.ModuleKit;

public static class TracedClientServiceCollectionExtensions
{
    /// <summary>Registers <see cref="TracedClient"/> as a typed client of IHttpClientFactory (pooled handlers, DI-configurable).</summary>
    public static IHttpClientBuilder AddTracedClient(this IServiceCollection services) =>
        services.AddHttpClient<TracedClient>();
}
