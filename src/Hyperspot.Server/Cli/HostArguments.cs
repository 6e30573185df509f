using Hyperspot.Server.Configuration;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Cli;

/// <summary>
/// Splits the tokens the command line did not recognise. <c>--section:key=value</c> (one of our sections) is the
/// command-line configuration layer, the highest; any other <c>--key=value</c> is a host setting handed to the
/// ASP.NET Core host builder (test hosts pass <c>--environment=...</c> and <c>--contentRoot=...</c> this way);
/// anything else is an error.
/// </summary>
public sealed class HostArguments
{
    /// <summary>The ASP.NET Core host settings accepted as <c>--key=value</c> (test hosts pass these).</summary>
    private static readonly HashSet<string> HostSettingKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "environment", "contentRoot", "applicationName", "urls", "hostingStartupAssemblies", "preventHostingStartup",
    };

    public List<KeyValuePair<string, string?>> ConfigurationOverrides { get; } = [];

    public List<string> HostSettings { get; } = [];

    public List<string> Errors { get; } = [];

    public static HostArguments Split(IEnumerable<string> unmatched)
    {
        var result = new HostArguments();
        var afterSecretKey = false;
        foreach (var token in unmatched)
        {
            if (afterSecretKey && !token.StartsWith('-'))
            {
                // Every word after a secret key given without '=' may be part of its value ("Bearer <token>").
                result.Errors.Add($"unknown argument '{SecretRedactor.Mask}' (a value after a space; configuration overrides take it after '=': --section:key=value)");
                continue;
            }

            var equals = token.IndexOf('=');
            afterSecretKey = IsKeyWithoutValue(token) && SecretRedactor.IsSecretPath(AsPath(token.TrimStart('-')));
            if (!token.StartsWith("--", StringComparison.Ordinal) || equals < 3)
            {
                result.Errors.Add(IsKeyWithoutValue(token) && token.StartsWith("--", StringComparison.Ordinal)
                    ? $"unknown argument '{token}' (configuration overrides take their value after '=': --tracing:sampler:ratio=0.5)"
                    : $"unknown argument '{Shown(token)}' (see --help)");
                continue;
            }

            var key = token[2..equals];
            var value = token[(equals + 1)..];
            var colon = key.IndexOf(':');
            if (colon < 0 && value.Length == 0 && HyperspotSettings.Sections.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                // Test hosts pass a section's own (empty) entry along with its keys: --server= --server:port=1.
                continue;
            }

            if (colon < 0 && HostSettingKeys.Contains(key))
            {
                result.HostSettings.Add(token);
            }
            else if (colon < 0)
            {
                result.Errors.Add($"unknown argument '--{key}' (see --help)");
            }
            else if (HyperspotSettings.Sections.Contains(key[..colon], StringComparer.OrdinalIgnoreCase))
            {
                result.ConfigurationOverrides.Add(new(key, value));
            }
            else
            {
                result.Errors.Add($"unknown argument '--{key}' (configuration overrides look like --tracing:sampler:ratio=0.5)");
            }
        }

        return result;
    }

    /// <summary>A key such as <c>--tracing:exporter:headers:authorization</c> (with any dashes) without its <c>=value</c>.</summary>
    private static bool IsKeyWithoutValue(string token) => !token.Contains('=') && token.Contains(':');

    /// <summary>An unrecognised token as it may be shown: a value under a secret key, or URL credentials, masked.</summary>
    private static string Shown(string token)
    {
        var equals = token.IndexOf('=');
        if (equals > 0 && SecretRedactor.IsSecretPath(AsPath(token[..equals].TrimStart('-'))))
        {
            return token[..(equals + 1)] + SecretRedactor.Mask;
        }

        return SecretRedactor.RedactUrlCredentials(token);
    }

    private static string AsPath(string key) => key.Replace(':', '.');
}
