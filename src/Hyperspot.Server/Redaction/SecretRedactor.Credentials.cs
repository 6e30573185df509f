namespace Hyperspot.Server.Redaction;

/// <summary>Where the <c>user:password@</c> part of a URL is, in any shape a user may write it.</summary>
public sealed partial class SecretRedactor
{
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
        if (schemeEnd > 0 && schemeEnd < at && SchemeStart(value[..schemeEnd]) >= 0)
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

    /// <summary>
    /// Where the URL scheme <paramref name="text"/> ends with starts (<c>http</c> in <c>endpoint=http</c>), or -1
    /// when it does not end with one.
    /// </summary>
    private static int SchemeStart(ReadOnlySpan<char> text)
    {
        var start = text.Length;
        while (start > 0 && (char.IsAsciiLetterOrDigit(text[start - 1]) || text[start - 1] is '+' or '.' or '-'))
        {
            start--;
        }

        return start < text.Length && char.IsAsciiLetter(text[start]) ? start : -1;
    }

    private static bool IsPort(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExcept("0123456789");
}
