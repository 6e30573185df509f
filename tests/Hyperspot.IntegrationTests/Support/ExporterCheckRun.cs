using System.Diagnostics;
using System.Text.RegularExpressions;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Support;

/// <summary>
/// <c>check --exporter</c> run as a user runs it: the real server binary in a process, with
/// <c>config/quickstart.yaml</c> (or another file) and <c>--section:key=value</c> overrides.
/// </summary>
public sealed partial record ExporterCheckRun(int ExitCode, string Output, string Errors, TimeSpan Elapsed)
{
    /// <summary>Runs the check with the repository's quick-start configuration and the given overrides.</summary>
    public static Task<ExporterCheckRun> QuickstartAsync(params string[] overrides) =>
        RunAsync(["check", "--exporter", "--config", "config/quickstart.yaml", .. overrides]);

    public static async Task<ExporterCheckRun> RunAsync(IEnumerable<string> arguments)
    {
        var home = Directory.CreateTempSubdirectory("hyperspot-check-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            await using var process = await ServerProcess.RunToExitAsync([.. arguments, $"--server:home_dir={home}"], timeout: TimeSpan.FromSeconds(60));
            return new ExporterCheckRun(process.ExitCode, process.StandardOutput, process.StandardError, clock.Elapsed);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>The report line of one step (<c>tcp</c>, <c>spans</c>, ...), e.g. <c>FAIL  spans     ...</c>.</summary>
    public string Line(string step)
    {
        var lines = Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => StepLine().Match(l) is { Success: true } m && m.Groups["step"].Value == step).ToList();
        Assert.True(lines.Count == 1, $"expected one '{step}' line in:\n{this}");
        return lines[0];
    }

    /// <summary>The trace id the check printed for the test span.</summary>
    public string TraceId => TraceIdLine().Match(Output) is { Success: true } m ? m.Groups["id"].Value : throw new InvalidOperationException($"no trace id in:\n{this}");

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalMilliseconds:0} ms\nstdout:\n{Output}\nstderr:\n{Errors}";

    [GeneratedRegex(@"^(ok|FAIL|skip) +(?<step>[a-z]+( id)?) ")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"^ok +trace id +(?<id>[0-9a-f]{32}):", RegexOptions.Multiline)]
    private static partial Regex TraceIdLine();
}
