using Hyperspot.Server.Logging;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Tests.Logging;

/// <summary>The escaping every text log value goes through.</summary>
public class LogTextTests
{
    [Theory]
    [InlineData("\r", "\\r")]
    [InlineData("\n", "\\n")]
    [InlineData("\t", "\\t")]
    [InlineData("\\", "\\\\")]
    [InlineData("\u001b", "\\x1b")]
    [InlineData("\0", "\\x00")]
    [InlineData("\u0007", "\\x07")]
    [InlineData("\u007f", "\\x7f")]
    [InlineData("\u0085", "\\x85")]
    [InlineData("\u009b", "\\x9b")]
    [InlineData("\u2028", "\\u2028")]
    [InlineData("\u2029", "\\u2029")]
    [InlineData("a\r\n2026-01-01T00:00:00.000+00:00 ERR x", "a\\r\\n2026-01-01T00:00:00.000+00:00 ERR x")]
    [InlineData("C:\\temp\\n", "C:\\\\temp\\\\n")]
    public void Control_characters_and_backslashes_are_escaped(string value, string expected) =>
        Assert.Equal(expected, ControlCharacters.Escape(value));

    [Fact]
    public void Every_control_character_is_escaped_and_nothing_else_is()
    {
        for (var c = '\0'; c < '\uffff'; c++)
        {
            var control = c < ' ' || c is >= '\u007f' and <= '\u009f' or '\u2028' or '\u2029' or '\\';
            var escaped = ControlCharacters.Escape(c.ToString());
            if (control)
            {
                Assert.StartsWith("\\", escaped);
                Assert.All(escaped, e => Assert.InRange(e, ' ', '~'));
            }
            else if (!char.IsSurrogate(c))
            {
                Assert.Equal(c.ToString(), escaped);
            }
        }
    }

    [Fact]
    public void Text_without_anything_to_escape_is_returned_as_it_is()
    {
        var text = "HTTP GET /examples/v1/users/42 — ünïcödé 日本 responded 200";
        Assert.Same(text, ControlCharacters.Escape(text));
        Assert.Equal(-1, ControlCharacters.IndexOfEscaped(text));
    }

    [Fact]
    public void Long_values_are_escaped_whole()
    {
        var value = string.Concat(Enumerable.Repeat("ab\ncd\u001b", 2000));
        var escaped = ControlCharacters.Escape(value);
        Assert.Equal(string.Concat(Enumerable.Repeat("ab\\ncd\\x1b", 2000)), escaped);
    }

    [Fact]
    public void Exception_lines_all_start_with_whitespace_and_hold_no_control_character()
    {
        Exception exception;
        try
        {
            throw new InvalidOperationException("boom\n2026-01-01T00:00:00.000+00:00 ERR forged\r\u001b[31m\u2028x", new IOException("inner\nsecond"));
        }
        catch (Exception thrown)
        {
            exception = thrown;
        }

        var text = LogText.ExceptionLines(exception);
        Assert.EndsWith("\n", text);
        var lines = text[..^1].Split('\n');
        Assert.True(lines.Length >= 4, text);
        Assert.All(lines, line => Assert.True(line.StartsWith(' '), $"'{line}' does not start with whitespace"));
        Assert.All(text[..^1].Replace("\n", ""), c => Assert.False(char.IsControl(c) || c is '\u2028' or '\u2029', $"raw U+{(int)c:x4}"));
        Assert.Contains(lines, l => l == "  2026-01-01T00:00:00.000+00:00 ERR forged\\r\\x1b[31m\\u2028x");
        Assert.Contains(lines, l => l.StartsWith("   at "));
        Assert.Equal("  System.InvalidOperationException: boom", lines[0]);
    }
}
