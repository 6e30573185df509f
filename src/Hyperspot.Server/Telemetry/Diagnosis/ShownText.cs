using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Telemetry.Diagnosis;

/// <summary>
/// How the export diagnosis shows a text it did not write itself (a backend's answer, an exception message): secrets
/// masked by the exporter's <see cref="SecretRedactor"/>, control characters escaped in the notation of text log lines
/// and stderr messages (<see cref="ControlCharacters.EscapeControls"/>), so that the text cannot start a line of its own, and
/// the length bounded.
/// </summary>
public static class ShownText
{
    /// <summary><paramref name="text"/> masked and escaped, at most <paramref name="maxLength"/> characters (then ending with '…').</summary>
    public static string Shown(this SecretRedactor redactor, string text, int maxLength = 500)
    {
        var shown = ControlCharacters.EscapeControls(redactor.Redact(text));
        return shown.Length > maxLength ? shown[..maxLength] + "…" : shown;
    }
}
