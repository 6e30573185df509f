using System.Buffers;

namespace Hyperspot.Server.Redaction;

/// <summary>
/// How every text writer (log lines, stderr messages, <c>check</c> output, export warnings) writes a character that
/// could start a line of its own or reach the terminal as a control sequence: <c>\t</c>, <c>\n</c>, <c>\r</c>; any other
/// C0 control, DEL and the C1 controls as <c>\xHH</c> (ESC is <c>\x1b</c>, NEL <c>\x85</c>); the line and paragraph
/// separators as <c>\u2028</c> and <c>\u2029</c>. A backslash is written <c>\\</c>, so that an escape always stands for
/// the character it names and never for the same text sent literally. Everything else is written as it is.
/// </summary>
public static class ControlCharacters
{
    /// <summary>The characters a value cannot hold as they are.</summary>
    private static readonly SearchValues<char> Escaped = SearchValues.Create(EscapedCharacters());

    /// <summary>The position of the first character that must be escaped, or -1: one vectorised scan, no copying.</summary>
    public static int IndexOfEscaped(ReadOnlySpan<char> text) => text.IndexOfAny(Escaped);

    public static bool NeedsEscaping(ReadOnlySpan<char> text) => text.IndexOfAny(Escaped) >= 0;

    /// <summary><paramref name="text"/> with its control characters and backslashes escaped; the same instance when there are none.</summary>
    public static string Escape(string text)
    {
        if (IndexOfEscaped(text) < 0)
        {
            return text;
        }

        var length = 0;
        foreach (var c in text)
        {
            length += Escaped.Contains(c) ? EscapeLength(c) : 1;
        }

        return string.Create(length, text, static (destination, source) =>
        {
            foreach (var c in source)
            {
                if (Escaped.Contains(c))
                {
                    destination = destination[WriteEscape(c, destination)..];
                }
                else
                {
                    destination[0] = c;
                    destination = destination[1..];
                }
            }
        });
    }

    /// <summary>
    /// <paramref name="text"/> with its control characters escaped but its backslashes kept: for messages on stderr,
    /// which quote values the configuration layer may already have escaped in the same notation.
    /// </summary>
    public static string EscapeControls(string text) =>
        NeedsEscaping(text) ? string.Join('\\', text.Split('\\').Select(Escape)) : text;

    /// <summary>How many characters the escape of <paramref name="c"/> (one of the escaped characters) takes.</summary>
    public static int EscapeLength(char c) => c switch
    {
        '\\' or '\t' or '\n' or '\r' => 2,
        <= '\u00ff' => 4,
        _ => 6,
    };

    /// <summary>Writes the escape of <paramref name="c"/> (one of the escaped characters); returns its length.</summary>
    public static int WriteEscape(char c, Span<char> destination)
    {
        var named = c switch
        {
            '\\' => '\\',
            '\t' => 't',
            '\n' => 'n',
            '\r' => 'r',
            _ => '\0',
        };
        destination[0] = '\\';
        if (named != '\0')
        {
            destination[1] = named;
            return 2;
        }

        var code = (int)c;
        var digits = code <= 0xFF ? 2 : 4;
        destination[1] = digits == 2 ? 'x' : 'u';
        for (var i = 1 + digits; i >= 2; i--)
        {
            destination[i] = "0123456789abcdef"[code & 0xF];
            code >>= 4;
        }

        return 2 + digits;
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
