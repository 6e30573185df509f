using System.Buffers;
using System.Text;

namespace Hyperspot.Server.Redaction;

/// <summary>
/// URLs: everything in a URL that may carry a credential is masked, wherever the URL is shown. That is the
/// <c>user:password@</c> part, the value of every query parameter (a parameter without <c>=</c> is a value itself),
/// the value of every <c>;</c> parameter of the path, and the fragment. Scheme, host, port, path and parameter names
/// stay, so the URL still says where it points.
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>The mask of a value in a recorded request query (<c>url.query</c>), as the OpenTelemetry conventions spell it.</summary>
    public const string QueryMask = "Redacted";

    /// <summary>The characters without which a text holds nothing <see cref="RedactUrlCredentials"/> would mask.</summary>
    private static readonly SearchValues<char> UrlSecretMarkers = SearchValues.Create("@?#;");

    private static readonly SearchValues<char> PathSecretMarkers = SearchValues.Create("?#;");

    private static readonly SearchValues<char> ParameterSeparators = SearchValues.Create("&;");

    /// <summary>
    /// Masks, in every word of <paramref name="text"/> that is a URL, its credentials, query values, <c>;</c> parameter
    /// values and fragment (<c>http://***REDACTED***@host/p;sid=***REDACTED***?api_key=***REDACTED***</c>), as in an
    /// error message. A word is a URL when it has a scheme (<c>http://</c>, also after <c>endpoint=</c>), reads
    /// <c>user:password@host</c>, is a path starting with <c>/</c>, or holds parameters with a value (<c>6?token=x</c>,
    /// <c>6;sid=x</c>, <c>Host=db;Password=x</c>).
    /// Words are separated by white space, quotes, angle brackets and parentheses.
    /// </summary>
    public static string RedactUrlCredentials(string text)
    {
        if (!text.AsSpan().ContainsAny(UrlSecretMarkers))
        {
            return text;
        }

        StringBuilder? builder = null;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !char.IsWhiteSpace(text[i]) && !WordDelimiters.Contains(text[i]))
            {
                continue;
            }

            var word = text.AsSpan(start, i - start);
            if (RedactUrl(word, allowSpaces: false) is { } redacted)
            {
                builder ??= new StringBuilder(text.Length + 16).Append(text, 0, start);
                builder.Append(redacted);
            }
            else
            {
                builder?.Append(word);
            }

            if (i < text.Length)
            {
                builder?.Append(text[i]);
            }

            start = i + 1;
        }

        return builder?.ToString() ?? text;
    }

    /// <summary>
    /// <see cref="RedactUrlCredentials"/> for one value taken whole, such as a configured URL, where a password may
    /// even hold a space (<c>http://user:pa ss@host</c>). A value that is not itself a URL is treated as a text.
    /// </summary>
    public static string RedactUrlCredentialsInValue(string value)
    {
        if (!value.AsSpan().ContainsAny(UrlSecretMarkers))
        {
            return value;
        }

        var schemeEnd = value.IndexOf(":/", StringComparison.Ordinal);
        var wholeUrl = value.StartsWith('/')
            || (schemeEnd > 0 && SchemeStart(value.AsSpan(0, schemeEnd)) == 0)
            || FindCredentials(value, allowSpaces: true) is (0, _);
        return wholeUrl ? RedactUrl(value, allowSpaces: true) ?? value : RedactUrlCredentials(value);
    }

    /// <summary>
    /// Every query value replaced by <see cref="QueryMask"/>, as the OpenTelemetry HTTP conventions do, and a
    /// parameter without <c>=</c> replaced whole (it is a value, such as a bare token): <c>?a=1&amp;b=2;t0ken</c>
    /// becomes <c>?a=Redacted&amp;b=Redacted;Redacted</c>. Parameters are separated by <c>&amp;</c> or <c>;</c>.
    /// </summary>
    public static string RedactQuery(string query)
    {
        if (query.Length == 0 || query is "?")
        {
            return query;
        }

        var builder = new StringBuilder(query.Length + 16);
        var start = query[0] == '?' ? 1 : 0;
        builder.Append(query, 0, start);
        AppendParameters(builder, query.AsSpan(start), QueryMask);
        return builder.ToString();
    }

    /// <summary>
    /// A request path with the value of each <c>;</c> parameter masked (<c>/users/6;jsessionid=Redacted</c>), and what
    /// follows a <c>?</c> or <c>#</c> that is part of the path (sent as <c>%3F</c>, <c>%23</c>: decoded, or still
    /// escaped) masked as a query or fragment; the same string when it has none of these.
    /// </summary>
    public static string RedactPath(string path)
    {
        var escaped = path.Contains("%3F", StringComparison.OrdinalIgnoreCase) || path.Contains("%23", StringComparison.OrdinalIgnoreCase);
        if (!escaped && !path.AsSpan().ContainsAny(PathSecretMarkers))
        {
            return path;
        }

        var builder = new StringBuilder(path.Length + 16);
        if (!escaped)
        {
            AppendPath(builder, path, QueryMask);
            return builder.ToString();
        }

        // Split at the escaped marks as at the plain ones, and give them back their escaped form.
        var unescaped = path.Replace("%3F", "?", StringComparison.OrdinalIgnoreCase).Replace("%23", "#", StringComparison.OrdinalIgnoreCase);
        AppendPath(builder, unescaped, QueryMask);
        return builder.Replace("?", "%3F").Replace("#", "%23").ToString();
    }

    /// <summary>The word with its secrets masked, or null when it is not a URL or has nothing to mask.</summary>
    private static string? RedactUrl(ReadOnlySpan<char> word, bool allowSpaces)
    {
        if (word.IsEmpty || !word.ContainsAny(UrlSecretMarkers))
        {
            return null;
        }

        int authority;
        var schemeEnd = word.IndexOf(":/", StringComparison.Ordinal);
        if (word[0] == '/')
        {
            authority = word.StartsWith("//") ? 2 : -1;
        }
        else if (schemeEnd > 0 && SchemeStart(word[..schemeEnd]) >= 0)
        {
            authority = schemeEnd + 1;
            while (authority < word.Length && word[authority] == '/')
            {
                authority++;
            }
        }
        else if (FindCredentials(word, allowSpaces) is not null)
        {
            authority = 0;
        }
        else if (word.IndexOfAny('?', ';') is var parameters and > 0 && word[parameters..].Contains('='))
        {
            authority = -1; // parameters of their own, as a route value quoted in a message ("6?token=...", "6;sid=...")
        }
        else
        {
            return null;
        }

        var builder = new StringBuilder(word.Length + 32);
        var pathStart = 0;
        if (authority >= 0)
        {
            var hostStart = authority;
            if (FindCredentials(word, allowSpaces) is var (from, to))
            {
                builder.Append(word[..from]).Append(Mask);
                hostStart = to;
            }
            else
            {
                builder.Append(word[..authority]);
                hostStart = authority;
            }

            var hostEnd = word[hostStart..].IndexOfAny("/?#");
            pathStart = hostEnd < 0 ? word.Length : hostStart + hostEnd;
            builder.Append(word[hostStart..pathStart]);
        }

        AppendPath(builder, word[pathStart..], Mask);
        var redacted = builder.ToString();
        return word.SequenceEqual(redacted) ? null : redacted;
    }

    /// <summary>Appends a path with its <c>;</c> parameters, query and fragment, their values masked.</summary>
    private static void AppendPath(StringBuilder builder, ReadOnlySpan<char> rest, string mask)
    {
        var queryStart = rest.IndexOfAny('?', '#');
        var path = queryStart < 0 ? rest : rest[..queryStart];
        while (path.IndexOf(';') is var semicolon and >= 0)
        {
            builder.Append(path[..(semicolon + 1)]);
            path = path[(semicolon + 1)..];
            var end = path.IndexOfAny('/', ';');
            var parameter = end < 0 ? path : path[..end];
            AppendParameter(builder, parameter, mask);
            path = end < 0 ? [] : path[end..];
        }

        builder.Append(path);
        if (queryStart < 0)
        {
            return;
        }

        rest = rest[queryStart..];
        if (rest[0] == '?')
        {
            var fragment = rest.IndexOf('#');
            builder.Append('?');
            AppendParameters(builder, fragment < 0 ? rest[1..] : rest[1..fragment], mask);
            rest = fragment < 0 ? [] : rest[fragment..];
        }

        if (!rest.IsEmpty)
        {
            builder.Append('#');
            if (rest.Length > 1)
            {
                builder.Append(mask);
            }
        }
    }

    /// <summary>Appends <c>a=1&amp;b;c</c> as <c>a=MASK&amp;MASK;MASK</c>: names kept, values and bare parameters masked.</summary>
    private static void AppendParameters(StringBuilder builder, ReadOnlySpan<char> parameters, string mask)
    {
        while (true)
        {
            var end = parameters.IndexOfAny(ParameterSeparators);
            AppendParameter(builder, end < 0 ? parameters : parameters[..end], mask);
            if (end < 0)
            {
                return;
            }

            builder.Append(parameters[end]);
            parameters = parameters[(end + 1)..];
        }
    }

    private static void AppendParameter(StringBuilder builder, ReadOnlySpan<char> parameter, string mask)
    {
        if (parameter.IsEmpty)
        {
            return;
        }

        var equals = parameter.IndexOf('=');
        if (equals >= 0)
        {
            builder.Append(parameter[..(equals + 1)]);
        }

        builder.Append(mask);
    }
}
