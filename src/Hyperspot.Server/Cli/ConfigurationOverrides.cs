using Hyperspot.Server.Configuration;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Cli;

/// <summary>
/// Reads the tokens the command-line parser did not recognise: each must be a configuration override
/// <c>--key=value</c> whose key is one of our sections or a path under one (<c>--tracing:sampler:ratio=0.5</c>), the
/// highest configuration layer. A key may name a section itself with an empty value, <c>--server=</c> or
/// <c>--modules:examples=</c>: an empty section, as <c>server:</c> with nothing under it is in the YAML file (the
/// entries .NET lists for a configuration's sections, e.g. when it is written out as arguments); a section under one
/// of ours given a value is refused as the same value in the file is, one of ours given a value is an unknown argument.
/// Anything else is an error; a value that may be a secret is masked in it.
/// </summary>
public sealed class ConfigurationOverrides
{
    public List<KeyValuePair<string, string?>> Overrides { get; } = [];

    public List<string> Errors { get; } = [];

    public static ConfigurationOverrides Split(IEnumerable<string> unmatched)
    {
        var result = new ConfigurationOverrides();
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
            var colon = key.IndexOf(':');
            var section = colon < 0 ? key : key[..colon];
            var value = token[(equals + 1)..];
            if (HyperspotSettings.Sections.Contains(section, StringComparer.OrdinalIgnoreCase) && (colon > 0 || value.Length == 0))
            {
                result.Overrides.Add(new(key, value));
            }
            else if (colon < 0)
            {
                result.Errors.Add($"unknown argument '--{key}' (see --help)");
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
