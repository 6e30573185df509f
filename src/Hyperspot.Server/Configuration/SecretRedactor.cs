using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// Decides which values are secrets and masks them: configuration values for <c>--print-config</c>, error
/// messages and log lines; URL credentials in any text; query values on spans and in log lines.
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "***REDACTED***";

    private const string ExporterHeaders = "tracing.exporter.headers";

    private const string Resource = "tracing.resource.";

    private static readonly string[] SecretKeyWords = ["password", "secret", "token", "dsn", "apikey", "authorization"];

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

    /// <summary>
    /// Removes credentials (<c>user:password@</c>) from every word of <paramref name="text"/> that is a URL with them,
    /// as in an error message. Words are separated by white space, quotes, angle brackets and parentheses.
    /// </summary>
    public static string RedactUrlCredentials(string text)
    {
        if (!text.Contains('@'))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !char.IsWhiteSpace(text[i]) && !WordDelimiters.Contains(text[i]))
            {
                continue;
            }

            var word = text.AsSpan(start, i - start);
            if (FindCredentials(word, allowSpaces: false) is var (from, to))
            {
                builder.Append(word[..from]).Append(Mask).Append(word[to..]);
            }
            else
            {
                builder.Append(word);
            }

            if (i < text.Length)
            {
                builder.Append(text[i]);
            }

            start = i + 1;
        }

        return builder.ToString();
    }

    /// <summary>
    /// Removes credentials from one value taken whole, such as a configured URL, where a password may even hold a
    /// space (<c>http://user:pa ss@host</c>).
    /// </summary>
    public static string RedactUrlCredentialsInValue(string value) =>
        FindCredentials(value, allowSpaces: true) is var (from, to) ? string.Concat(value.AsSpan(0, from), Mask, value.AsSpan(to)) : value;

    /// <summary>
    /// The strings to mask wherever a secret value may be quoted back, as in a backend's error answer: the value
    /// itself, each word of it long enough to be a credential (the token of <c>Bearer &lt;token&gt;</c>), and the
    /// credentials of a URL in it (the token of an Uptrace DSN) with their parts.
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

        return [.. parts.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Where the <c>user:password</c> (or token) of a URL is, end exclusive: after <c>scheme:/</c> or
    /// <c>scheme://</c>, or at the start of a value without a scheme that reads <c>user:password@host</c>. The
    /// authority ends at the first <c>/</c>, <c>?</c> or <c>#</c>, and the credentials at its last <c>@</c>. A
    /// password holding a <c>/</c> is recognised when the authority reads <c>user:</c> and something that is not a
    /// port. Paths, queries and addresses (<c>https://host/teams/@platform</c>, <c>http://collector:4318/v1/@t</c>,
    /// <c>mailto:oncall@example.com</c>, <c>dev@example.com</c>) are left alone.
    /// </summary>
    private static (int From, int To)? FindCredentials(ReadOnlySpan<char> value, bool allowSpaces)
    {
        var at = value.IndexOf('@');
        if (at <= 0 || (!allowSpaces && value.ContainsAny(WhiteSpace)))
        {
            return null;
        }

        int from;
        var schemeEnd = value.IndexOf(":/", StringComparison.Ordinal);
        var colon = value.IndexOf(':');
        if (schemeEnd > 0 && schemeEnd < at && EndsWithScheme(value[..schemeEnd]))
        {
            from = schemeEnd + 1;
            while (from < value.Length && value[from] == '/')
            {
                from++;
            }
        }
        else if (colon > 0 && colon < at && !value[..colon].Equals("mailto", StringComparison.OrdinalIgnoreCase)
            && !value[..at].ContainsAny(WhiteSpace))
        {
            from = 0; // user:password@host
        }
        else
        {
            return null;
        }

        var rest = value[from..];
        var authorityEnd = rest.IndexOfAny("/?#");
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var lastAt = authority.LastIndexOf('@');
        if (lastAt < 0)
        {
            // No '@' before the first '/': a password with a '/' in it, or an '@' in the path. Only "user:secret"
            // (not "host:port" or "[::1]:port") before that '/' makes it a password.
            var userColon = authority.IndexOf(':');
            if (authorityEnd < 0 || userColon <= 0 || authority[0] == '[' || IsPort(authority[(userColon + 1)..]))
            {
                return null;
            }

            var afterSlash = rest[authorityEnd..];
            var firstAt = afterSlash.IndexOf('@');
            if (firstAt < 0)
            {
                return null;
            }

            // A further '@' before the host's own end is part of the password too.
            var host = afterSlash[(firstAt + 1)..];
            var hostEnd = host.IndexOfAny("/?#");
            var lastInHost = (hostEnd < 0 ? host : host[..hostEnd]).LastIndexOf('@');
            lastAt = authorityEnd + firstAt + (lastInHost < 0 ? 0 : lastInHost + 1);
        }

        return lastAt > 0 ? (from, from + lastAt) : null;
    }

    /// <summary>True when <paramref name="text"/> ends with a URL scheme (<c>http</c> in <c>endpoint=http</c>).</summary>
    private static bool EndsWithScheme(ReadOnlySpan<char> text)
    {
        var start = text.Length;
        while (start > 0 && (char.IsAsciiLetterOrDigit(text[start - 1]) || text[start - 1] is '+' or '.' or '-'))
        {
            start--;
        }

        return start < text.Length && char.IsAsciiLetter(text[start]);
    }

    private static bool IsPort(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExcept("0123456789");

    /// <summary>
    /// Every query value replaced by <c>Redacted</c>, as the OpenTelemetry HTTP conventions do:
    /// <c>?a=1&amp;b=2</c> becomes <c>?a=Redacted&amp;b=Redacted</c>.
    /// </summary>
    public static string RedactQuery(string query)
    {
        var index = query.IndexOf('=', StringComparison.Ordinal);
        if (index < 0)
        {
            return query;
        }

        var builder = new StringBuilder(query.Length + 16);
        builder.Append(query, 0, index);
        while (index < query.Length)
        {
            if (query[index] == '=')
            {
                builder.Append("=Redacted");
                index++;
                while (index < query.Length && query[index] != '&')
                {
                    index++;
                }

                if (index < query.Length)
                {
                    builder.Append('&');
                }
            }
            else
            {
                builder.Append(query[index]);
            }

            index++;
        }

        return builder.ToString();
    }

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex NonAlphanumeric();
}
