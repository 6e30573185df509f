using System.Text.Json;
using System.Text.RegularExpressions;
using Hyperspot.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Hyperspot.IntegrationTests.Logging;

/// <summary>
/// Hostile paths, headers and upstream answers against the real server with every framework category let through:
/// the console and the log file never get a line that did not come from a record, nor a raw control character.
/// </summary>
public sealed partial class HostileLogLineTests(ITestOutputHelper output)
{
    /// <summary>A line that would pass for a record if the value it sits in were written raw.</summary>
    private const string ForgedRecord = "2026-01-01T00:00:00.000+00:00 ERR forged";

    /// <summary>An OSC title change, a C1 CSI "clear screen", NEL, the Unicode line separator, DEL.</summary>
    private const string TerminalCodes = "\u001b]0;pwned\u0007\u009b2J\u0085\u2028\u007f";

    /// <summary>
    /// The upstream's answer has a header name HttpClient refuses; the refusal, which quotes the name, is what the
    /// examples module logs as the failed upstream call.
    /// </summary>
    private const string UpstreamAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Evil\u001b]0;pwned\u0007\u009b2J: v\r\n\r\n{}";

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Hostile_paths_headers_and_upstream_answers_never_add_a_line_or_a_raw_control_character(string fileFormat)
    {
        await using var upstream = new HostileUpstream(UpstreamAnswer);
        await using var server = await TestServer.StartAsync($$"""
            server:
              home_dir: "{home}"
              port: {port}
            logging:
              default:
                console_level: "trace"
                file: "logs/hyperspot.log"
                file_level: "trace"
                format: "{{fileFormat}}"
              Microsoft:
                file_level: "trace"
              System:
                file_level: "trace"
            modules:
              examples:
                config:
                  external_base_url: "{{upstream.BaseUrl}}"
            """, extraArguments: ["-vv"]);

        var encodedPath = "/x%0D%0A" + Uri.EscapeDataString(ForgedRecord) + "-path" + Uri.EscapeDataString(TerminalCodes) + "%5C";
        var answers = new List<int>
        {
            (await RawHttp.GetAsync(server.Port, encodedPath, [])).Status,
            (await RawHttp.GetAsync(server.Port, "/examples/v1/users/7" + "?q=%0D%0A" + Uri.EscapeDataString(ForgedRecord), [])).Status,
            (await RawHttp.GetAsync(server.Port, "/healthz", [$"User-Agent: agent\u001b]0;pwned\u0007", $"X-Forwarded-For: 10.0.0.1\u0085{ForgedRecord}", "Referer: \u009b2J"])).Status,
            (await RawHttp.GetAsync(server.Port, "/raw\u001b[2J\u0085", [])).Status,
        };
        output.WriteLine($"answers: {string.Join(", ", answers)}; upstream answered {upstream.Answered} times");
        Assert.Equal(404, answers[0]);
        Assert.Equal(502, answers[1]);
        Assert.True(upstream.Answered > 0, "the upstream was never called");

        Assert.Equal(0, await server.StopAsync());
        var console = server.Process.StandardOutput;
        var file = await File.ReadAllTextAsync(server.LogFile);
        output.WriteLine(console);

        AssertOnlyRecords("console", console);
        // What follows the ';' is a path parameter, masked as one (see "Secrets and redaction").
        Assert.Contains(@"HTTP GET /x\r\n" + ForgedRecord + @"-path\x1b]0;Redacted responded 404", console);
        // HttpClient's refusal quotes the header name (as ASCII: the C1 byte becomes '?').
        Assert.Matches(@"Upstream call failed for user 7: .*X-Evil\\x1b\]0;pwned\\x07", console);
        if (fileFormat == "text")
        {
            AssertOnlyRecords("file", file);
            Assert.Contains(@"HTTP GET /x\r\n" + ForgedRecord + @"-path\x1b]0;Redacted responded 404", file);
        }
        else
        {
            var lines = file.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.All(file.Replace("\n", ""), c => Assert.False(char.IsControl(c) || c is '\u2028' or '\u2029', $"raw U+{(int)c:x4} in the JSON file"));
            var messages = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("message").GetString()).ToList();
            Assert.Contains("HTTP GET /x\r\n" + ForgedRecord + "-path\u001b]0;Redacted responded 404", messages.Select(m => m?.Split(" in ")[0]));
            Assert.Contains(messages, m => m!.StartsWith("Upstream call failed for user 7: ") && m.Contains("X-Evil\u001b]0;pwned\u0007"));
        }
    }

    /// <summary>Start-up errors quote configuration values and paths: on stderr too, one line each, nothing raw.</summary>
    [Fact]
    public async Task Errors_on_stderr_escape_the_values_and_paths_they_quote()
    {
        var home = Directory.CreateTempSubdirectory("hyperspot-it-").FullName;
        try
        {
            var config = Path.Combine(home, "config.yaml");
            await File.WriteAllTextAsync(config, $$"""
                server:
                  home_dir: "{{home}}"
                modules:
                  examples:
                    config:
                      external_base_url: "ftp://x\e]0;pwned\a\r\n{{ForgedRecord}}\x9b2J\L"
                """);
            var missing = Path.Combine(home, "missing\u001b]0;pwned\u0007\n" + ForgedRecord + ".yaml");
            var invalid = await Hyperspot.TestBackend.ServerProcess.RunToExitAsync(["check", "--config", config]);
            var absent = await Hyperspot.TestBackend.ServerProcess.RunToExitAsync(["check", "--config", missing]);
            output.WriteLine(Visible(invalid.StandardError));
            output.WriteLine(Visible(absent.StandardError));

            Assert.Equal(2, invalid.ExitCode);
            Assert.Equal(2, absent.ExitCode);
            var url = Assert.Single(invalid.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(@"external_base_url", url);
            Assert.Contains(@"ftp://x\x1b]0;pwned\x07", url);
            Assert.Contains(@"forged\x9b2J", url);
            var path = Assert.Single(absent.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(@"missing\x1b]0;pwned\x07\n" + ForgedRecord + ".yaml", path);
            foreach (var line in new[] { url, path })
            {
                Assert.StartsWith("error: ", line);
                Assert.All(line, c => Assert.False(char.IsControl(c) || c is '\u2028' or '\u2029', $"raw U+{(int)c:x4} in '{Visible(line)}'"));
            }
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static void AssertOnlyRecords(string where, string text)
    {
        var lines = text.Split('\n');
        Assert.Equal("", lines[^1]);
        foreach (var line in lines[..^1])
        {
            Assert.True(Record().IsMatch(line) || line.StartsWith(' '), $"{where}: a line that is neither a record nor an indented continuation: '{Visible(line)}'");
            Assert.False(line.StartsWith(ForgedRecord[..10], StringComparison.Ordinal), $"{where}: a forged record: '{Visible(line)}'");
            Assert.All(line, c => Assert.False(char.IsControl(c) || c is '\u2028' or '\u2029', $"{where}: raw U+{(int)c:x4} in '{Visible(line)}'"));
        }
    }

    private static string Visible(string line) =>
        string.Concat(line.Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' ? $"<U+{(int)c:x4}>" : c.ToString()));

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (VRB|DBG|INF|WRN|ERR|FTL) ")]
    private static partial Regex Record();
}
