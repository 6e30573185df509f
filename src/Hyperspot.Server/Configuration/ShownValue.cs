using System.Text;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Configuration;

/// <summary>How configuration values and names appear in messages: masked when secret, on one short plain line.</summary>
internal static class ShownValue
{
    /// <summary>A bad value as it may be shown in an error: never a secret, never more than one short line.</summary>
    public static string Of(string path, string raw)
    {
        if (SecretRedactor.IsSecretPath(path))
        {
            return SecretRedactor.Mask;
        }

        var oneLine = EscapeControls(SecretRedactor.RedactUrlCredentialsInValue(raw).ReplaceLineEndings(" "));
        return oneLine.Length > 80 ? oneLine[..80] + "…" : oneLine;
    }

    /// <summary>
    /// Control characters written as escapes, so that a message stays one plain line: <c>\t</c>, <c>\n</c>, <c>\r</c>,
    /// and <c>\xHH</c> for the others (ESC is <c>\x1b</c>), the notation of the text log lines.
    /// </summary>
    public static string EscapeControls(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                escaped.Append(c switch { '\t' => "\\t", '\n' => "\\n", '\r' => "\\r", _ => $"\\x{(int)c:x2}" });
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }
}
