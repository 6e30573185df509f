using System.Text.RegularExpressions;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// Decides which configuration values are secrets and masks them, for <c>--print-config</c>,
/// error messages and start-up log lines.
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "***REDACTED***";

    private static readonly string[] SecretKeyWords = ["password", "secret", "token", "dsn", "apikey", "authorization"];

    /// <summary>True when a value stored under <paramref name="path"/> (segments separated by '.') must not be shown.</summary>
    public static bool IsSecretPath(string path)
    {
        if (path.StartsWith("tracing.exporter.headers.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var lastDot = path.LastIndexOf('.');
        var key = lastDot < 0 ? path : path[(lastDot + 1)..];
        return IsSecretKey(key);
    }

    /// <summary>True when a key such as <c>api_key</c>, <c>X-Api-Key</c> or <c>db_password</c> names a secret.</summary>
    public static bool IsSecretKey(string key)
    {
        var normalized = NonAlphanumeric().Replace(key, "").ToLowerInvariant();
        foreach (var word in SecretKeyWords)
        {
            if (normalized.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Removes credentials (<c>user:password@</c>) from anything that looks like a URL.</summary>
    public static string RedactUrlCredentials(string value) =>
        UrlCredentials().Replace(value, m => m.Groups["scheme"].Value + Mask + "@");

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex NonAlphanumeric();

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^/@\s]+@")]
    private static partial Regex UrlCredentials();
}
