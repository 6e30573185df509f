using System.Buffers;

namespace Hyperspot.Server.Logging;

/// <summary>
/// How a text log line (console, and the file with <c>format: text</c>) writes a value, so that no value can start
/// a line of its own or reach the terminal as a control sequence. Every control character is written as an escape:
/// <c>\t</c>, <c>\n</c>, <c>\r</c>; any other C0 control, DEL and the C1 controls as <c>\xHH</c> (ESC is <c>\x1b</c>,
/// NEL <c>\x85</c>); the line and paragraph separators as <c>\u2028</c> and <c>\u2029</c>. A backslash is written
/// <c>\\</c>, so that an escape in a line always stands for the character it names and never for the same text
/// sent literally. Everything else (printable ASCII, any other Unicode character) is written as it is.
/// </summary>
public static class LogText
{
    /// <summary>The characters a value cannot hold as they are.</summary>
    private static readonly SearchValues<char> Escaped = SearchValues.Create(EscapedCharacters());

    /// <summary>The position of the first character that must be escaped, or -1: one vectorised scan, no copying.</summary>
    public static int IndexOfEscaped(ReadOnlySpan<char> text) => text.IndexOfAny(Escaped);

    public static bool NeedsEscaping(ReadOnlySpan<char> text) => text.IndexOfAny(Escaped) >= 0;

    /// <summary><paramref name="text"/> with its control characters and backslashes escaped; the same instance when there are none.</summary>
    public static string Escape(string text)
    {
        var first = IndexOfEscaped(text);
        if (first < 0)
        {
            return text;
        }

        var line = new LineBuffer(stackalloc char[256]);
        try
        {
            line.Append(text.AsSpan(0, first));
            AppendEscaped(ref line, text.AsSpan(first));
            return line.Written.ToString();
        }
        finally
        {
            line.Dispose();
        }
    }

    /// <summary>
    /// <paramref name="text"/> with its control characters escaped but its backslashes kept: for messages on stderr,
    /// which quote values the configuration layer may already have escaped in the same notation.
    /// </summary>
    public static string EscapeControls(string text) =>
        NeedsEscaping(text) ? string.Join('\\', text.Split('\\').Select(Escape)) : text;

    /// <summary>Appends <paramref name="text"/> escaped; text without anything to escape is copied in one piece.</summary>
    internal static void AppendEscaped(ref LineBuffer line, ReadOnlySpan<char> text)
    {
        while (true)
        {
            var next = text.IndexOfAny(Escaped);
            if (next < 0)
            {
                line.Append(text);
                return;
            }

            line.Append(text[..next]);
            AppendEscape(ref line, text[next]);
            text = text[(next + 1)..];
        }
    }

    /// <summary>
    /// An exception as the lines after its record: the text .NET gives it (type, message, inner exceptions, stack
    /// frames), each line escaped like a value and starting with whitespace (lines that do not already start with a
    /// space are indented by two), so that no line of it, whatever its message says, can be taken for a record.
    /// Every line ends with <c>\n</c>.
    /// </summary>
    public static string ExceptionLines(Exception exception)
    {
        string text;
        try
        {
            text = exception.ToString();
        }
        catch (Exception describing)
        {
            text = $"{exception.GetType().FullName}: (describing the exception failed: {describing.Message})";
        }

        var line = new LineBuffer(stackalloc char[512]);
        try
        {
            foreach (var range in text.AsSpan().Split('\n'))
            {
                var part = text.AsSpan(range);
                if (part.Length == 0 || part[0] != ' ')
                {
                    line.Append("  ");
                }

                AppendEscaped(ref line, part);
                line.Append('\n');
            }

            return line.Written.ToString();
        }
        finally
        {
            line.Dispose();
        }
    }

    private static void AppendEscape(ref LineBuffer line, char c)
    {
        var named = c switch
        {
            '\\' => "\\\\",
            '\t' => "\\t",
            '\n' => "\\n",
            '\r' => "\\r",
            _ => null,
        };
        if (named is not null)
        {
            line.Append(named);
            return;
        }

        var code = (int)c;
        var digits = code <= 0xFF ? 2 : 4;
        var escape = line.AppendSpan(2 + digits);
        escape[0] = '\\';
        escape[1] = digits == 2 ? 'x' : 'u';
        for (var i = 1 + digits; i >= 2; i--)
        {
            escape[i] = "0123456789abcdef"[code & 0xF];
            code >>= 4;
        }
    }

    private static string EscapedCharacters()
    {
        var characters = new List<char> { '\\', '\u007f', '\u2028', '\u2029' };
        for (var c = '\0'; c < ' '; c++)
        {
            characters.Add(c);
        }

        for (var c = '\u0080'; c <= '\u009f'; c++)
        {
            characters.Add(c);
        }

        return new string([.. characters]);
    }
}
