using System.Diagnostics;
using System.Text;

namespace Hyperspot.Server.Telemetry;

/// <summary>
/// The W3C <c>baggage</c> header as <see cref="ConfiguredPropagator"/> writes and reads it: written in the compact form
/// OpenTelemetry uses (<c>k1=v1,k2=v2</c>, keys as the tokens they are, values percent-encoded, at most 180 members
/// and 8192 bytes), and read after taking out the members the runtime's parser would stop at.
/// </summary>
internal static class W3CBaggageHeader
{
    private const int MaxBaggageItems = 180;
    private const int MaxBaggageLength = 8192;

    /// <summary>
    /// The W3C <c>baggage</c> header for the current baggage: values percent-encoded (a space is <c>%20</c>, never
    /// <c>+</c>), W3C properties (<c>key=value;property</c>, kept by the runtime as part of the value) passed on as
    /// properties, and the specification's limits of 180 members and 8192 bytes respected.
    /// </summary>
    public static string? Write(Activity activity)
    {
        StringBuilder? header = null;
        var count = 0;
        foreach (var (key, value) in activity.Baggage)
        {
            if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (!IsToken(key))
            {
                continue; // a key is an RFC 7230 token, never percent-decoded: one that is not cannot be sent as it is
            }

            var semicolon = value.IndexOf(';');
            var member = semicolon < 0
                ? $"{key}={Uri.EscapeDataString(value)}"
                : $"{key}={Uri.EscapeDataString(value[..semicolon].Trim())};{value[(semicolon + 1)..].Trim()}";
            header ??= new StringBuilder();
            if (header.Length + member.Length + 1 > MaxBaggageLength)
            {
                break;
            }

            if (header.Length > 0)
            {
                header.Append(',');
            }

            header.Append(member);
            if (++count >= MaxBaggageItems)
            {
                break;
            }
        }

        return header is { Length: > 0 } ? header.ToString() : null;
    }

    /// <summary>The members of a baggage header that have a key and a non-empty value, in order.</summary>
    public static string ReadableMembers(string header)
    {
        var members = header.Split(',');
        return members.All(HasKeyAndValue) ? header : string.Join(',', members.Where(HasKeyAndValue));
    }

    private static bool HasKeyAndValue(string member)
    {
        var equals = member.IndexOf('=');
        if (equals <= 0 || member.AsSpan(0, equals).Trim().IsEmpty)
        {
            return false;
        }

        var valueEnd = member.IndexOf(';', equals);
        var memberValue = valueEnd < 0 ? member.AsSpan(equals + 1) : member.AsSpan(equals + 1, valueEnd - equals - 1);
        return !memberValue.Trim().IsEmpty;
    }

    /// <summary>True for an RFC 7230 token, what a baggage key must be.</summary>
    private static bool IsToken(string key)
    {
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !"!#$%&'*+-.^_`|~".Contains(c))
            {
                return false;
            }
        }

        return key.Length > 0;
    }
}
