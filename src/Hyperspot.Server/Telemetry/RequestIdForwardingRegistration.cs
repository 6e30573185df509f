using Hyperspot.Modules;
using Hyperspot.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// Outgoing calls carry the request id of the request they are made for: every client of IHttpClientFactory
/// (typed, named or default, <see cref="TracedClient"/> included) gets a <see cref="RequestIdForwardingHandler"/>.
/// A handler rather than a hook on HttpClient's diagnostics: it works with tracing off, touches only the clients the
/// container builds (not the exporter's own client), and leaves a header the caller set alone.
/// </summary>
public static class RequestIdForwardingRegistration
{
    public static WebApplicationBuilder AddRequestIdForwarding(this WebApplicationBuilder builder, HttpTracingSettings http)
    {
        if (http.InjectRequestIdHeader.Length > 0)
        {
            builder.Services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(() => new RequestIdForwardingHandler()));
        }

        return builder;
    }
}
