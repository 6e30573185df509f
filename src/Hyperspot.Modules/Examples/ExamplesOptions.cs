using Microsoft.Extensions.Configuration;

namespace Hyperspot.Modules.Examples;

/// <summary><c>modules.examples.config</c>.</summary>
public sealed class ExamplesOptions : IValidatableModuleOptions
{
    public static readonly IReadOnlyList<string> LoopbackHosts = ["127.0.0.1", "::1", "localhost"];

    /// <summary>Where <c>/users/{id}</c> and <c>/data</c> are fetched from; empty: this server's own stand-in upstream.</summary>
    [ConfigurationKeyName("external_base_url")]
    public string ExternalBaseUrl { get; set; } = "";

    /// <summary>Hosts <c>POST /examples/v1/relay</c> may call; empty: loopback addresses only.</summary>
    [ConfigurationKeyName("relay_allowed_hosts")]
    public string[]? RelayAllowedHosts { get; set; }

    public IReadOnlyList<string> EffectiveRelayAllowedHosts =>
        RelayAllowedHosts is { Length: > 0 } hosts ? hosts : LoopbackHosts;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (ExternalBaseUrl.Length > 0
            && (!Uri.TryCreate(ExternalBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https")))
        {
            yield return ("external_base_url", $"must be an absolute http:// or https:// URL (got '{ExternalBaseUrl}')");
        }
    }
}
