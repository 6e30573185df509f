using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Examples;

/// <summary>
/// The module's two outgoing clients, named clients of IHttpClientFactory (so they carry the request id like every
/// client of the container, and other modules' <see cref="TracedClient"/> keeps its own settings): one for the
/// upstream of <c>/users/{id}</c> and <c>/data</c>, one for the relay. Neither follows redirects nor keeps cookies;
/// the relay's also refuses, when connecting, any host outside <c>relay_allowed_hosts</c>. Time is bounded per call
/// by the endpoints (<c>call_timeout_ms</c>, body included), so the clients themselves have no timeout.
/// </summary>
public sealed class ExamplesClients(IHttpClientFactory factory)
{
    public const string UpstreamName = "examples.upstream";
    public const string RelayName = "examples.relay";

    public TracedClient Upstream => TracedClient.From(factory.CreateClient(UpstreamName));

    public TracedClient Relay => TracedClient.From(factory.CreateClient(RelayName));

    /// <summary>Registers both clients; they read the module's options and <see cref="RelayHosts"/> from the container.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddHttpClient(UpstreamName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                ConnectTimeout = provider.GetRequiredService<IOptions<ExamplesOptions>>().Value.CallTimeout,
            });
        services.AddHttpClient(RelayName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => RelayConnections.CreateHandler(
                provider.GetRequiredService<RelayHosts>(),
                provider.GetRequiredService<IOptions<ExamplesOptions>>().Value.CallTimeout));
        services.AddSingleton<ExamplesClients>();
    }
}
