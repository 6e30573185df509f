using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hyperspot.Server.Logging;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace Hyperspot.Server.Tests.Logging;

/// <summary>
/// Values that try to start a line of their own or to reach the terminal as control sequences, in every place an
/// event can carry them, through each line format: text without colours (the direct writer and the template it falls
/// back to), text with colours, JSON.
/// </summary>
public partial class HostileLogValuesTests
{
    private const string Forged = "\r\n2026-01-01T00:00:00.000+00:00 ERR forged";
    private const string Terminal = "\u001b]0;pwned\u0007\u009b2J\u0085\u2028\u2029\u007f";
    private const string Hostile = Forged + Terminal;

    public static TheoryData<string> Places() =>
    [
        "string-property", "template-text", "source-context", "request-id", "exception", "sequence", "structure",
        "dictionary", "object-property", "char-property", "aligned", "missing-property-template",
    ];

    [Theory]
    [MemberData(nameof(Places))]
    public void Plain_text_lines_hold_one_record_and_no_control_character(string place)
    {
        var text = Render(LogFormats.Text(colours: false), Event(place));
        AssertOneRecord(text, allowEscape: false);
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void Coloured_text_lines_hold_one_record_and_only_the_themes_own_escape_sequences(string place)
    {
        var text = Render(LogFormats.Text(colours: true), Event(place));
        AssertOneRecord(ThemeCodes().Replace(text, ""), allowEscape: false);
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void Json_lines_are_one_line_without_raw_separators_and_decode_to_the_original_values(string place)
    {
        var logEvent = Event(place);
        var text = Render(LogFormats.Json(), logEvent);
        Assert.EndsWith("\n", text);
        var line = text[..^1];
        Assert.DoesNotContain('\n', line);
        Assert.All(line, c => Assert.False(char.IsControl(c) || c is '\u2028' or '\u2029', $"raw U+{(int)c:x4} in {line}"));
        using var json = JsonDocument.Parse(line);
        if (place == "string-property")
        {
            Assert.Equal("Path /x" + Hostile, json.RootElement.GetProperty("message").GetString());
            Assert.Equal("/x" + Hostile, json.RootElement.GetProperty("properties").GetProperty("Path").GetString());
        }
    }

    [Fact]
    public void Escaped_values_can_be_read_back_exactly()
    {
        var text = Render(LogFormats.Text(colours: false), Event("string-property"));
        var message = text[(text.IndexOf(": ", StringComparison.Ordinal) + 2)..^1];
        Assert.Equal("Path /x" + Hostile, Regex.Unescape(message));
    }

    private static void AssertOneRecord(string text, bool allowEscape)
    {
        Assert.EndsWith("\n", text);
        var lines = text[..^1].Split('\n');
        Assert.Matches(Record(), lines[0]);
        Assert.All(lines.Skip(1), line => Assert.True(line.StartsWith(' '), $"a continuation line starts without whitespace: '{line}'"));
        Assert.All(text[..^1].Replace("\n", ""), c => Assert.False(
            (char.IsControl(c) && !(allowEscape && c == '\u001b')) || c is '\u2028' or '\u2029',
            $"raw U+{(int)c:x4} in {text}"));
        Assert.Contains("forged", text);
    }

    private static LogEvent Event(string place)
    {
        var template = "Path {Path}";
        var source = "Hyperspot.Test";
        Exception? exception = null;
        var properties = new List<LogEventProperty> { new("Path", new ScalarValue("/x" + Hostile)) };
        switch (place)
        {
            case "template-text":
                template = "Raw " + Hostile.Replace("{", "").Replace("}", "") + " {Path}";
                break;
            case "source-context":
                source = "Category" + Hostile;
                break;
            case "request-id":
                properties.Add(new("request_id", new ScalarValue("id" + Hostile)));
                break;
            case "exception":
                exception = new InvalidOperationException("boom" + Hostile, new IOException("inner" + Hostile));
                break;
            case "sequence":
                template = "Items {Items}";
                properties.Add(new("Items", new SequenceValue([new ScalarValue("a" + Hostile), new ScalarValue(2)])));
                break;
            case "structure":
                template = "Got {@Payload}";
                properties.Add(new("Payload", new StructureValue([new LogEventProperty("Name", new ScalarValue("n" + Hostile))], "Type" + Terminal)));
                break;
            case "dictionary":
                template = "Map {Map}";
                properties.Add(new("Map", new DictionaryValue([new(new ScalarValue("k" + Hostile), new ScalarValue("v" + Hostile))])));
                break;
            case "object-property":
                template = "Object {Value}";
                properties.Add(new("Value", new ScalarValue(new Described("o" + Hostile))));
                break;
            case "char-property":
                template = "Char {Value}{Other}";
                properties.AddRange([new("Value", new ScalarValue('\n')), new("Other", new ScalarValue("forged"))]);
                break;
            case "aligned":
                template = "Aligned {Path,80}";
                break;
            case "missing-property-template":
                template = Hostile + "{Absent} {Path}";
                break;
        }

        properties.Add(new("SourceContext", new ScalarValue(source)));
        var traceId = ActivityTraceId.CreateRandom();
        return new LogEvent(DateTimeOffset.Now, LogEventLevel.Warning, exception, new MessageTemplateParser().Parse(template), properties, traceId, ActivitySpanId.CreateRandom());
    }

    private static string Render(ITextFormatter formatter, LogEvent logEvent)
    {
        var writer = new StringWriter();
        formatter.Format(logEvent, writer);
        return writer.ToString();
    }

    private sealed class Described(string text)
    {
        public override string ToString() => text;
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d WRN trace_id=[0-9a-f]{32} span_id=[0-9a-f]{16} ")]
    private static partial Regex Record();

    /// <summary>The SGR sequences the theme writes: ESC [ digits and semicolons m.</summary>
    [GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial Regex ThemeCodes();
}
