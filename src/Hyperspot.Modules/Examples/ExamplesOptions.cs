using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Modules.Examples;

/// <summary><c>modules.examples.config</c>.</summary>
public sealed class ExamplesOptions : IValidatableObject
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
    [Range(1, MaxRelayMaxCalls)]
    public int RelayMaxCalls { get; set; } = 10;

    /// <summary>The largest relay request body, in bytes.</summary>
    [ConfigurationKeyName("relay_max_body_bytes")]
    [Range(1, MaxRelayMaxBodyBytes)]
    public int RelayMaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long one outgoing call of the module (upstream or relay) may take, answer body included.</summary>
    [ConfigurationKeyName("call_timeout_ms")]
    [Range(1, MaxCallTimeoutMs)]
    public int CallTimeoutMs { get; set; } = 5000;

    /// <summary>The most bytes of one answer the module reads back from an upstream or a relay target.</summary>
    [ConfigurationKeyName("max_response_bytes")]
    [Range(1, MaxMaxResponseBytes)]
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    public IReadOnlyList<string> EffectiveRelayAllowedHosts =>
        RelayAllowedHosts is { Length: > 0 } hosts ? hosts : LoopbackHosts;

    public TimeSpan CallTimeout => TimeSpan.FromMilliseconds(CallTimeoutMs);

    /// <summary>The rules the attributes cannot say; the ranges are on the properties.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ExternalBaseUrl.Length > 0
            && (!Uri.TryCreate(ExternalBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https")))
        {
            yield return new ValidationResult($"must be an absolute http:// or https:// URL (got '{ExternalBaseUrl}')", [nameof(ExternalBaseUrl)]);
        }

        foreach (var host in RelayAllowedHosts ?? [])
        {
            if (string.IsNullOrWhiteSpace(host) || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '@' or '?' or '#'))
            {
                yield return new ValidationResult(
                    $"entries must be host names or IP addresses, without scheme, port or path (got '{Printable(host)}')", [nameof(RelayAllowedHosts)]);
            }
        }
    }

    private static string Printable(string text) =>
        new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
