using Serilog.Events;
using Serilog.Formatting;
using Serilog.Templates;
using Serilog.Templates.Themes;

namespace Hyperspot.Server.Logging;

/// <summary>
/// The line formats. Inside a request every line carries <c>trace_id</c>, <c>span_id</c> (W3C, the same ids the
/// trace backend shows) and <c>request_id</c>; outside a request the fields are absent, never zeros. Text lines
/// escape every value (<see cref="LogText"/>); JSON lines escape as JSON does, and more (<see cref="JsonLineWriter"/>).
/// </summary>
public static class LogFormats
{
    /// <summary>The text line's expression template (the one <see cref="TextLineFormatter"/> reproduces).</summary>
    internal const string TextTemplate =
        "{@t:yyyy-MM-ddTHH:mm:ss.fffzzz} {@l:u3} "
        + "{#if @tr is not null}trace_id={@tr} span_id={@sp} {#end}"
        + "{#if request_id is not null}request_id={request_id} {#end}"
        + "{SourceContext}: {@m}\n{#if @x is not null}{@x}{#end}";

    private const string JsonTemplate =
        "{ {timestamp: UtcDateTime(@t), level: @l, category: SourceContext, message: @m, "
        + "trace_id: @tr, span_id: @sp, request_id: request_id, exception: @x, properties: rest()} }\n";

    /// <summary>The text line; without colours the common lines are written by <see cref="TextLineFormatter"/>, identically and faster.</summary>
    public static ITextFormatter Text(bool colours) =>
        colours
            ? new EscapingFormatter(new ExpressionTemplate(TextTemplate, theme: TemplateTheme.Code))
            : new TextLineFormatter(new ExpressionTemplate(TextTemplate));

    public static ITextFormatter Json() => new JsonFormatter(new ExpressionTemplate(JsonTemplate));

    /// <summary>The template applied to the escaped copy of each event: the theme's own colour codes stay intact.</summary>
    private sealed class EscapingFormatter(ITextFormatter template) : ITextFormatter
    {
        public void Format(LogEvent logEvent, TextWriter output) => template.Format(EscapedLogEvent.For(logEvent), output);
    }

    private sealed class JsonFormatter(ITextFormatter template) : ITextFormatter
    {
        public void Format(LogEvent logEvent, TextWriter output) => template.Format(logEvent, new JsonLineWriter(output));
    }
}
