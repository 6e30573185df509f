using System.Text;

namespace Hyperspot.Server.Redaction;

/// <summary>
/// Free texts the product did not write itself (log messages and their values, exception messages, recorded header
/// values): URLs in them, and header lines that name a secret, as a server quotes a request it refused
/// (<c>Invalid request header: 'Authorization : Bearer …\x0D\x0A'</c>).
/// </summary>
public sealed partial class SecretRedactor
{
    /// <summary>
    /// <paramref name="text"/> with the secrets of its URLs (<see cref="RedactUrlCredentials"/>) and the values of its
    /// secret header lines (<c>Authorization: …</c>, <c>x-api-key : …</c>, <c>Cookie: …</c>, in any case) masked; the
    /// same instance when there is nothing to mask.
    /// </summary>
    public static string RedactText(string text) => RedactHeaderLines(RedactUrlCredentials(text));

    /// <summary>
    /// Masks the value after <c>name:</c> (spaces and tabs, also escaped as <c>\x09</c>, allowed around the colon) when the name names a secret header
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
            while (BlankBefore(text, nameEnd) is var blank and > 0)
            {
                nameEnd -= blank;
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
            while (BlankAt(text, valueStart) is var blank and > 0)
            {
                valueStart += blank;
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

    /// <summary>The length of the blank (a space, a tab, or a tab escaped as <c>\x09</c>) that ends at <paramref name="end"/>, or 0.</summary>
    private static int BlankBefore(string text, int end) =>
        end > 0 && text[end - 1] is ' ' or '\t' ? 1
        : end >= 4 && IsEscapedTab(text.AsSpan(end - 4, 4)) ? 4
        : 0;

    /// <summary>The length of the blank that starts at <paramref name="start"/>, or 0.</summary>
    private static int BlankAt(string text, int start) =>
        start < text.Length && text[start] is ' ' or '\t' ? 1
        : start + 4 <= text.Length && IsEscapedTab(text.AsSpan(start, 4)) ? 4
        : 0;

    private static bool IsEscapedTab(ReadOnlySpan<char> text) => text.Equals(@"\x09", StringComparison.OrdinalIgnoreCase);

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
