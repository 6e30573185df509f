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
    /// Control characters written as escapes (<see cref="ControlCharacters"/>), so that a message stays one plain line;
    /// backslashes are kept, as the messages quote them.
    /// </summary>
    public static string EscapeControls(string text) => ControlCharacters.EscapeControls(text);
}
