
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Telemetry.ExporterCheck;

/// <summary>
/// The lines of <c>check --exporter</c>: one per step, <c>ok</c>, <c>FAIL</c> or <c>skip</c>, the step's name and what
/// was found. Every text is escaped (a backend's answer cannot start a line of its own); callers mask secrets.
/// </summary>
public sealed class CheckReport(TextWriter output)
{
    /// <summary>True once a step failed: the command then exits with 1.</summary>
    public bool Failed { get; private set; }

    public void Ok(string step, string text) => Write("ok", step, text);

    public void Fail(string step, string text)
    {
        Failed = true;
        Write("FAIL", step, text);
    }

    public void Skip(string step, string text) => Write("skip", step, text);

    private void Write(string status, string step, string text) =>
        output.WriteLine($"{status,-5} {step,-9} {ControlCharacters.EscapeControls(text)}");
}
