using System.Text;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Passes a JSON line on, with the characters JSON allows raw inside strings but that a terminal or a JavaScript
/// reader takes for something else written as <c>\uXXXX</c>: DEL, the C1 controls (U+0080 to U+009F) and the line
/// and paragraph separators U+2028 and U+2029. JSON itself already escapes the C0 controls, quotes and backslashes.
/// These characters can only occur inside a JSON string (everything outside strings is ASCII), where <c>\uXXXX</c>
/// means the same character, so the line stays valid and decodes to the same values.
/// </summary>
internal sealed class JsonLineWriter(TextWriter output) : TextWriter(output.FormatProvider)
{
    public override Encoding Encoding => output.Encoding;

    public override void Write(char value)
    {
        if (IsEscaped(value))
        {
            WriteEscape(value);
        }
        else
        {
            output.Write(value);
        }
    }

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        while (true)
        {
            var next = IndexOfEscaped(buffer);
            if (next < 0)
            {
                output.Write(buffer);
                return;
            }

            output.Write(buffer[..next]);
            WriteEscape(buffer[next]);
            buffer = buffer[(next + 1)..];
        }
    }

    public override void Flush() => output.Flush();

    private static int IndexOfEscaped(ReadOnlySpan<char> text)
    {
        // One vectorised scan for anything outside printable ASCII; a character-wise look only past that point.
        var start = text.IndexOfAnyExceptInRange(' ', '~');
        if (start < 0)
        {
            return -1;
        }

        for (var i = start; i < text.Length; i++)
        {
            if (IsEscaped(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsEscaped(char c) => c is (>= '\u007f' and <= '\u009f') or '\u2028' or '\u2029';

    private void WriteEscape(char c)
    {
        Span<char> escape = ['\\', 'u', '0', '0', '0', '0'];
        var code = (int)c;
        for (var i = 5; i >= 2; i--)
        {
            escape[i] = "0123456789abcdef"[code & 0xF];
            code >>= 4;
        }

        output.Write(escape);
    }
}
