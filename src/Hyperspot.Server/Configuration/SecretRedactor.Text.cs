using System.Text;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// Free texts the product did not write itself (log messages and their values, exception messages, recorded header
/// values): URLs in them, and header lines that name a secret, as a server quotes a request it refused
/// (<c>Invalid request header: 'Authorization : Bearer …\x0D\x0A'</c>).
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>
    /// <paramref name="text"/> with the secrets of its URLs (<see cref="RedactUrlCredentials"/>) and the values of its
    /// secret header lines (<c>Authorization: …</c>, <c>x-api-key : …</c>, <c>Cookie: …</c>, in any case) masked; the
    /// same instance when there is nothing to mask.
    /// </summary>
    public static string RedactText(string text) => RedactHeaderLines(RedactUrlCredentials(text));

    /// <summary>
    /// Masks the value after <c>name:</c> (spaces allowed around the colon) when the name names a secret header
    /// (<see cref="IsSecretHeader"/>). The value runs to the end of its line, a quote, or an escaped line end
    /// (<c>\x0D</c>, <c>\r</c>) as servers write them in messages.
    /// </summary>
    private static string RedactHeaderLines(string text)
    {
        var colon = text.IndexOf(':');
        if (colon < 0)
        {
            return text;
        }

        StringBuilder? builder = null;
        var copied = 0;
        for (; colon >= 0; colon = colon + 1 < text.Length ? text.IndexOf(':', colon + 1) : -1)
        {
            var nameEnd = colon;
            while (nameEnd > 0 && text[nameEnd - 1] is ' ' or '\t')
            {
                nameEnd--;
            }

            var nameStart = nameEnd;
            while (nameStart > 0 && (char.IsAsciiLetterOrDigit(text[nameStart - 1]) || text[nameStart - 1] is '-' or '_'))
            {
                nameStart--;
            }

            if (nameStart == nameEnd || nameStart < copied || !IsSecretHeader(text.AsSpan(nameStart, nameEnd - nameStart)))
            {
                continue;
            }

            var valueStart = colon + 1;
            while (valueStart < text.Length && text[valueStart] is ' ' or '\t')
            {
                valueStart++;
            }

            var valueEnd = ValueEnd(text, valueStart);
            var value = text.AsSpan(valueStart, valueEnd - valueStart);
            if (value.IsEmpty || value.SequenceEqual(Mask))
            {
                continue;
            }

            builder ??= new StringBuilder(text.Length);
            builder.Append(text, copied, valueStart - copied).Append(Mask);
            copied = valueEnd;
            colon = valueEnd - 1;
        }

        return builder is null ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    private static int ValueEnd(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\r' or '\n' or '\'' or '"':
                    return i;
                case '\\' when i + 1 < text.Length && (text[i + 1] is 'r' or 'n'
                    || (i + 3 < text.Length && text[i + 1] is 'x' or 'X' && text[i + 2] == '0' && text[i + 3] is 'D' or 'd' or 'A' or 'a')):
                    return i;
            }
        }

        return text.Length;
    }
}
