using System.Globalization;

namespace Hyperspot.Server.Logging;

/// <summary>
/// How a text line (<see cref="TextLineFormatter"/>) writes the values in it, character for character as the
/// expression template renders them: the timestamp, the holes of the line (<c>{request_id}</c>,
/// <c>{SourceContext}</c>) and the plain scalars of the message, strings escaped (<see cref="LogText"/>).
/// </summary>
internal static class LogValueWriter
{
    /// <summary>The length of <c>yyyy-MM-ddTHH:mm:ss.fffzzz</c>, e.g. <c>2026-11-26T08:08:31.054+00:00</c>.</summary>
    public const int TimestampLength = 29;

    /// <summary>A text of the message: its template text or a string value, escaped or as it is.</summary>
    public static void Append(ref LineBuffer line, string text, bool escape)
    {
        if (escape)
        {
            LogText.AppendEscaped(ref line, text);
        }
        else
        {
            line.Append(text);
        }
    }

    /// <summary>
    /// The timestamp as the template's <c>yyyy-MM-ddTHH:mm:ss.fffzzz</c> renders it (milliseconds truncated, the offset
    /// as <c>+hh:mm</c>), written digit by digit: the general custom-format path was a visible share of the line.
    /// </summary>
    public static void WriteTimestamp(DateTimeOffset timestamp, Span<char> destination)
    {
        var local = timestamp.DateTime;
        Digits(destination[..4], local.Year);
        destination[4] = '-';
        Digits(destination.Slice(5, 2), local.Month);
        destination[7] = '-';
        Digits(destination.Slice(8, 2), local.Day);
        destination[10] = 'T';
        Digits(destination.Slice(11, 2), local.Hour);
        destination[13] = ':';
        Digits(destination.Slice(14, 2), local.Minute);
        destination[16] = ':';
        Digits(destination.Slice(17, 2), local.Second);
        destination[19] = '.';
        Digits(destination.Slice(20, 3), (int)(local.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMillisecond));
        var offsetMinutes = (int)(timestamp.Offset.Ticks / TimeSpan.TicksPerMinute);
        destination[23] = offsetMinutes < 0 ? '-' : '+';
        offsetMinutes = Math.Abs(offsetMinutes);
        Digits(destination.Slice(24, 2), offsetMinutes / 60);
        destination[26] = ':';
        Digits(destination.Slice(27, 2), offsetMinutes % 60);
    }

    private static void Digits(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    /// <summary>True for the scalars written here; any other value is left to the template.</summary>
    public static bool IsPlain(object? value) =>
        value is string or int or uint or long or ulong or decimal or byte or sbyte or short or ushort or double or float or bool;

    /// <summary>A template hole (<c>{request_id}</c>, <c>{SourceContext}</c>) holding a non-null scalar, escaped.</summary>
    public static void WriteHole(object value, ref LineBuffer line)
    {
        switch (value)
        {
            case string text:
                LogText.AppendEscaped(ref line, text);
                break;
            case int or long or Guid:
                line.AppendFormatted((ISpanFormattable)value, null);
                break;
            case IFormattable formattable:
                LogText.AppendEscaped(ref line, formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                LogText.AppendEscaped(ref line, value.ToString());
                break;
        }
    }

    /// <summary>A property inside <c>@m</c>, as the template renders a plain scalar.</summary>
    public static void WriteMessageValue(object? value, string? format, ref LineBuffer line, bool escape)
    {
        switch (value)
        {
            case null:
                line.Append("null");
                break;
            case string text:
                Append(ref line, text, escape);
                break;
            case bool flag:
                line.Append(flag ? bool.TrueString : bool.FalseString);
                break;
            case double number when format == "0.0" && TryWriteTenths(number, ref line):
                break;
            default:
                line.AppendFormatted((ISpanFormattable)value, format);
                break;
        }
    }

    /// <summary>
    /// <c>0.0</c> for the common case, a non-negative duration in milliseconds below 10^7: rounded half away from zero
    /// to tenths as the general formatter does. A value within a hair of a rounding boundary, where the general
    /// formatter's 15-digit intermediate could decide differently, is left to it (returns false).
    /// </summary>
    private static bool TryWriteTenths(double value, ref LineBuffer line)
    {
        if (!(value >= 0 && value < 1e7) || double.IsNegative(value))
        {
            return false;
        }

        var scaled = value * 10;
        var whole = Math.Floor(scaled);
        var fraction = scaled - whole;
        if (Math.Abs(fraction - 0.5) < 1e-6)
        {
            return false;
        }

        var tenths = (long)whole + (fraction > 0.5 ? 1 : 0);
        line.AppendFormatted(tenths / 10, null);
        line.Append('.');
        line.Append((char)('0' + (tenths % 10)));
        return true;
    }
}
