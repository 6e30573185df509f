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
    /// Removes credentials (<c>user:password@</c>) from every word of <paramref name="text"/> that looks like a URL
    /// with them, as in an error message: <c>http://user:pa/ss@host</c>, <c>http:/user:pass@host</c>,
    /// <c>user:pass@host</c>; a password holding an <c>@</c> is masked up to the last one. Words are separated by
    /// white space, quotes, angle brackets and parentheses.
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
            if (i == text.Length || char.IsWhiteSpace(text[i]) || "'\"<>()".Contains(text[i]))
            {
                builder.Append(RedactUrlCredentialsInValue(text[start..i]));
                if (i < text.Length)
                {
                    builder.Append(text[i]);
                }

                start = i + 1;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Removes credentials from one value taken whole, spaces included, such as a configured URL
    /// (<c>http://user:pa ss@host</c>). A value with an <c>@</c> but neither a scheme nor a <c>:</c> before it
    /// (<c>dev@example.com</c>) is left as it is.
    /// </summary>
    public static string RedactUrlCredentialsInValue(string value)
    {
        var at = value.LastIndexOf('@');
        if (at <= 0)
        {
            return value;
        }

        int from;
        var scheme = value.IndexOf(":/", StringComparison.Ordinal);
        if (scheme >= 0 && scheme < at)
        {
            from = scheme + 1;
            while (from < at && value[from] == '/')
            {
                from++;
            }
        }
        else if (value.AsSpan(0, at).Contains(':'))
        {
            from = 0;
        }
        else
        {
            return value;
        }

        return from < at ? string.Concat(value.AsSpan(0, from), Mask, value.AsSpan(at)) : value;
    }

    /// <summary>
    /// The strings to mask wherever a secret value may be quoted back, as in a backend's error answer: the value
    /// itself, each word of it long enough to be a credential (the token of <c>Bearer &lt;token&gt;</c>), and the
    /// credentials of a URL in it (the token of an Uptrace DSN).
    /// </summary>
    public static IEnumerable<string> QuotableParts(string value)
    {
        yield return value;
        foreach (var word in value.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length >= 8 && word != value)
            {
                yield return word;
            }
        }

        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        var at = value.LastIndexOf('@');
        if (scheme >= 0 && at > scheme + 3)
        {
            var credentials = value[(scheme + 3)..at];
            yield return credentials;
            foreach (var part in credentials.Split(':'))
            {
                if (part.Length >= 4)
                {
                    yield return part;
                }
            }
        }
    }

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
