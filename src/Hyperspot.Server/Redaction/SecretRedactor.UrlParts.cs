using System.Buffers;
using System.Text;

namespace Hyperspot.Server.Redaction;

/// <summary>
/// The parts of a URL after its host: the value of every <c>;</c> parameter of the path, every query value (a
/// parameter without <c>=</c> is a value itself) and the fragment are masked; the path and the parameter names stay.
/// </summary>
public sealed partial class SecretRedactor
{
    /// <summary>The mask of a value in a recorded request query (<c>url.query</c>), as the OpenTelemetry conventions spell it.</summary>
    public const string QueryMask = "Redacted";

    private static readonly SearchValues<char> PathSecretMarkers = SearchValues.Create("?#;");

    /// <summary>The path marks and the start of an escape: a path with none of them (most) is returned after one scan.</summary>
    private static readonly SearchValues<char> PathSecretMarkersOrEscape = SearchValues.Create("?#;%");

    private static readonly SearchValues<char> ParameterSeparators = SearchValues.Create("&;");

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
        if (!path.AsSpan().ContainsAny(PathSecretMarkersOrEscape))
        {
            return path;
        }

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
