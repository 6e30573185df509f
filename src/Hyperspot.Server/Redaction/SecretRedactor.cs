using System.Buffers;
using System.Text;

namespace Hyperspot.Server.Redaction;

/// <summary>
/// The one place that decides which values are secrets and masks them: configuration values for
/// <c>--print-config</c>, error messages and log lines; the secrets of URLs in any text (SecretRedactor.Urls.cs);
/// header lines in free texts (SecretRedactor.Text.cs); query values on spans and in log lines.
/// </summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "***REDACTED***";

    /// <summary>The whole value of a recorded header that must not be shown (<c>http.request.header.authorization</c>).</summary>
    public const string HeaderMask = "[REDACTED]";

    private const string ExporterHeaders = "tracing.exporter.headers";

    private const string Resource = "tracing.resource.";

    /// <summary>A key or header name holding one of these (letters and digits only, lower-cased) names a secret.</summary>
    private static readonly string[] SecretWords =
        ["password", "passwd", "pwd", "secret", "token", "dsn", "apikey", "authorization", "accesskey", "privatekey", "credential", "jwt", "cookie", "session"];

    private static readonly SearchValues<char> WhiteSpace = SearchValues.Create(" \t\r\n");

    private const string WordDelimiters = "'\"<>()";

    /// <summary>Shorter words of a header value (<c>Bearer</c>, a user name like <c>otel</c>) are not masked on their own.</summary>
    private const int MinQuotedLength = 8;

    /// <summary>
    /// True when a value stored under <paramref name="path"/> (segments separated by '.') must not be shown: any
    /// exporter header, a resource attribute whose name names a secret anywhere (<c>auth.token.id</c>), and any other
    /// key below a section's first level that names one (<c>modules.vault.config.secret.value</c>).
    /// </summary>
    public static bool IsSecretPath(string path)
    {
        if (path.Equals(ExporterHeaders, StringComparison.OrdinalIgnoreCase)
            || path.StartsWith(ExporterHeaders + ".", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (path.StartsWith(Resource, StringComparison.OrdinalIgnoreCase))
        {
            return IsSecretKey(path[Resource.Length..]);
        }

        var segments = path.Split('.');
        if (segments[0].Equals("logging", StringComparison.OrdinalIgnoreCase) || segments.Length <= 2)
        {
            // Logging has no secrets, and its category names (MyApp.TokenService) are not keys.
            return IsSecretKey(segments[^1]);
        }

        return segments.Skip(2).Any(IsSecretKey);
    }

    /// <summary>
    /// True when the last key of <paramref name="path"/> itself names a secret (or it is an exporter header): for
    /// numbers, which are only secrets under their own name (<c>password_policy.min_length</c> is not one).
    /// </summary>
    public static bool IsSecretLeaf(string path)
    {
        var lastDot = path.LastIndexOf('.');
        return path.StartsWith(ExporterHeaders + ".", StringComparison.OrdinalIgnoreCase) || IsSecretKey(lastDot < 0 ? path : path[(lastDot + 1)..]);
    }

    /// <summary>
    /// True when a key such as <c>api_key</c>, <c>X-Api-Key</c> or <c>db_password</c> names a secret: its letters and
    /// digits, lower-cased, contain one of the secret words.
    /// </summary>
    public static bool IsSecretKey(string key) => NamesAny(key, SecretWords);

    /// <summary>
    /// True when a header's value must never be shown: its name names a secret (<c>Authorization</c>,
    /// <c>X-Auth-Token</c>, <c>X-Api-Key</c>) or a cookie (<c>Cookie</c>, <c>Set-Cookie</c>).
    /// </summary>
    public static bool IsSecretHeader(ReadOnlySpan<char> name) => NamesAny(name, SecretWords);

    private static bool NamesAny(ReadOnlySpan<char> key, string[] words)
    {
        Span<char> buffer = key.Length <= 256 ? stackalloc char[key.Length] : new char[key.Length];
        var length = 0;
        foreach (var c in key)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        var normalized = buffer[..length];
        foreach (var word in words)
        {
            if (normalized.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The strings to mask wherever a secret value may be quoted back, as in a backend's error answer: the value
    /// itself, each word of it long enough to be a credential (the token of <c>Bearer &lt;token&gt;</c>), the
    /// credentials of a URL in it (the token of an Uptrace DSN) with their parts, and its query values.
    /// </summary>
    public static IReadOnlyList<string> QuotableParts(string value)
    {
        var parts = new List<string> { value };
        parts.AddRange(value.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= MinQuotedLength));
        if (FindCredentials(value, allowSpaces: true) is var (from, to))
        {
            var credentials = value[from..to];
            parts.Add(credentials);
            parts.AddRange(credentials.Split(':').Where(p => p.Length >= MinQuotedLength));
        }

        var query = value.IndexOfAny(['?', '#']);
        if (query >= 0)
        {
            parts.AddRange(value[(query + 1)..]
                .Split(['&', ';', '#'], StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p[(p.IndexOf('=') + 1)..])
                .Where(p => p.Length >= MinQuotedLength));
        }

        return [.. parts.Distinct(StringComparer.Ordinal)];
    }
}
