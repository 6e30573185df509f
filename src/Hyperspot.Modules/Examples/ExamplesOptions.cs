using Microsoft.Extensions.Configuration;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Examples;

/// <summary><c>modules.examples.config</c>.</summary>
public sealed class ExamplesOptions : IValidatableModuleOptions
{
    public static readonly IReadOnlyList<string> LoopbackHosts = ["127.0.0.1", "::1", "localhost"];

    public const int MaxRelayMaxCalls = 1000;
    public const int MaxRelayMaxBodyBytes = 16 * 1024 * 1024;
    public const int MaxCallTimeoutMs = 300_000;
    public const int MaxMaxResponseBytes = 256 * 1024 * 1024;

    /// <summary>Where <c>/users/{id}</c> and <c>/data</c> are fetched from; empty: this server's own stand-in upstream.</summary>
    [ConfigurationKeyName("external_base_url")]
    public string ExternalBaseUrl { get; set; } = "";

    /// <summary>Hosts <c>POST /examples/v1/relay</c> may call; empty: loopback addresses only.</summary>
    [ConfigurationKeyName("relay_allowed_hosts")]
    public string[]? RelayAllowedHosts { get; set; }

    /// <summary>The most calls one relay request may ask for.</summary>
    [ConfigurationKeyName("relay_max_calls")]
    public int RelayMaxCalls { get; set; } = 10;

    /// <summary>The largest relay request body, in bytes.</summary>
    [ConfigurationKeyName("relay_max_body_bytes")]
    public int RelayMaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long one outgoing call of the module (upstream or relay) may take, answer body included.</summary>
    [ConfigurationKeyName("call_timeout_ms")]
    public int CallTimeoutMs { get; set; } = 5000;

    /// <summary>The most bytes of one answer the module reads back from an upstream or a relay target.</summary>
    [ConfigurationKeyName("max_response_bytes")]
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    public IReadOnlyList<string> EffectiveRelayAllowedHosts =>
        RelayAllowedHosts is { Length: > 0 } hosts ? hosts : LoopbackHosts;

    public TimeSpan CallTimeout => TimeSpan.FromMilliseconds(CallTimeoutMs);

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (ExternalBaseUrl.Length > 0
            && (!Uri.TryCreate(ExternalBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https")))
        {
            yield return ("external_base_url", $"must be an absolute http:// or https:// URL (got '{ExternalBaseUrl}')");
        }

        foreach (var (key, value, max) in new[]
        {
            ("relay_max_calls", RelayMaxCalls, MaxRelayMaxCalls),
            ("relay_max_body_bytes", RelayMaxBodyBytes, MaxRelayMaxBodyBytes),
            ("call_timeout_ms", CallTimeoutMs, MaxCallTimeoutMs),
            ("max_response_bytes", MaxResponseBytes, MaxMaxResponseBytes),
        })
        {
            if (value < 1 || value > max)
            {
                yield return (key, $"must be 1 to {max} (got {value})");
            }
        }

        foreach (var host in RelayAllowedHosts ?? [])
        {
            if (string.IsNullOrWhiteSpace(host) || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '@' or '?' or '#'))
            {
                yield return ("relay_allowed_hosts", $"entries must be host names or IP addresses, without scheme, port or path (got '{Printable(host)}')");
            }
        }
    }

    private static string Printable(string text) =>
        new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
