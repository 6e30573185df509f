using System.Buffers;
using System.Text;

namespace Hyperspot.Server.Redaction;

/// <summary>
/// URLs: everything in a URL that may carry a credential is masked, wherever the URL is shown. That is the
/// <c>user:password@</c> part, the value of every query parameter (a parameter without <c>=</c> is a value itself),
/// the value of every <c>;</c> parameter of the path, and the fragment. Scheme, host, port, path and parameter names
/// stay, so the URL still says where it points.
/// </summary>
public sealed partial class SecretRedactor
{
    /// <summary>The characters without which a text holds nothing <see cref="RedactUrlCredentials"/> would mask.</summary>
    private static readonly SearchValues<char> UrlSecretMarkers = SearchValues.Create("@?#;");

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
    /// A parsed URL as it may be shown, such as the configured endpoint or a URL derived from it: its credentials
    /// masked, every query value replaced by <see cref="QueryMask"/>, and no fragment.
    /// </summary>
    public static string RedactUri(Uri url)
    {
        var text = RedactUrlCredentialsInValue(url.GetComponents(UriComponents.SchemeAndServer | UriComponents.UserInfo | UriComponents.Path, UriFormat.UriEscaped));
        return url.Query.Length > 1 ? text + RedactQuery(url.Query) : text;
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

}
