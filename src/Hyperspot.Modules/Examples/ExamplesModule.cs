using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Examples;

/// <summary>
/// The tracing guide's examples, end to end: a module span around a traced outgoing call
/// (<c>/users/{id}</c>), a plain traced call (<c>/data</c>), fan-out inside one trace to allowed hosts
/// (<c>/relay</c>), and a stand-in upstream served by the same server so that one request already shows a
/// multi-span trace. Every outgoing call is bounded in time and answer size and follows no redirect.
/// </summary>
public sealed class ExamplesModule : IModule<ExamplesOptions>
{
    public string Name => "examples";

    public void ConfigureServices(ModuleServicesContext context)
    {
        ExamplesClients.Register(context.Services);
        context.Services.AddSingleton(services => new RelayHosts(services.GetRequiredService<IOptions<ExamplesOptions>>().Value.EffectiveRelayAllowedHosts));
        context.Services.AddSingleton<RelayRequestReader>();
        context.Services.AddSingleton<UpstreamAddress>();
        context.Services.AddSingleton<ExamplesInstruments>();
    }

    public void MapEndpoints(ModuleEndpointContext context)
    {
        var api = context.Api;
        api.MapGet("/users/{id}", ExamplesEndpoints.GetUser)
            .WithName("examples.get_user")
            .WithSummary("Fetches a user from the upstream inside a process_user span");
        api.MapGet("/data", ExamplesEndpoints.GetData)
            .WithName("examples.get_data")
            .WithSummary("Fetches data from the upstream through TracedClient");
        api.MapPost("/relay", RelayEndpoint.Handle)
            .WithName("examples.relay")
            .WithSummary("POSTs each element's arguments to its url, in order, inside one trace");

        var upstream = api.MapGroup("/upstream");
        upstream.MapGet("/users/{id}", ExamplesEndpoints.UpstreamUser)
            .WithName("examples.upstream_user")
            .WithSummary("Stand-in upstream: a user (negative ids answer 503)");
        // GET for /data, POST for the relay, whose calls POST their arguments.
        upstream.MapMethods("/data", [HttpMethods.Get, HttpMethods.Post], ExamplesEndpoints.UpstreamData)
            .WithName("examples.upstream_data")
            .WithSummary("Stand-in upstream: some data (GET, or POST from the relay)");
    }
}
