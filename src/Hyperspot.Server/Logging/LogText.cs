using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Escaped values written into a text log line's buffer, by the rules of <see cref="ControlCharacters"/>, and exceptions
/// as the indented lines after their record.
/// </summary>
public static class LogText
{
    /// <summary>Appends <paramref name="text"/> escaped; text without anything to escape is copied in one piece.</summary>
    internal static void AppendEscaped(ref LineBuffer line, ReadOnlySpan<char> text)
    {
        while (true)
        {
            var next = ControlCharacters.IndexOfEscaped(text);
            if (next < 0)
            {
                line.Append(text);
                return;
            }

            line.Append(text[..next]);
            var c = text[next];
            ControlCharacters.WriteEscape(c, line.AppendSpan(ControlCharacters.EscapeLength(c)));
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
}
