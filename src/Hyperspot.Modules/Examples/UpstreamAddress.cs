using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Hyperspot.Modules.Examples;

/// <summary>
/// The base URL of the upstream the examples call: the configured <c>external_base_url</c>, or this server's own
/// stand-in upstream at the address it listens on (never the request's Host header, which a caller controls).
/// </summary>
public sealed class UpstreamAddress(IOptions<ExamplesOptions> options, IServer server)
{
    private readonly string _external = options.Value.ExternalBaseUrl;

    private string? _resolved;

    public string BaseUrl => _resolved ??= Resolve();

    private string Resolve()
    {
        if (_external.Length > 0)
        {
            return _external.TrimEnd('/');
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        var uri = new Uri(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        var host = uri.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            _ => uri.Host,
        };
        return $"{uri.Scheme}://{host}:{uri.Port}/examples/v1/upstream";
    }
}
