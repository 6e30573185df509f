using System.Diagnostics;
using System.Text.RegularExpressions;
using Hyperspot.Docs.Tests.Support;

namespace Hyperspot.Docs.Tests;

/// <summary>
/// Every <c>curl</c> command of the docs aimed at the server's default address, in a bash block or in the prose, run
/// with the real <c>curl</c> against the real server on the shipped modules: it answers 2xx, or the status the same
/// prose line says it answers (<c>answers 502</c>); the calls of a relay example answer 2xx as well.
/// </summary>
[Collection(HostCollection.Name)]
public sealed partial class CurlExampleTests
{
    private const string DocumentedAddress = "http://127.0.0.1:8087";

    private sealed record CurlExample(string Where, string Command, int? ExpectedStatus);

    [Fact]
    public async Task Every_curl_example_gets_the_answer_the_docs_describe()
    {
        Assert.True(await CurlInstalledAsync(), "curl is not installed; .ci/run installs it (apt-get install curl)");
        var examples = Examples().ToList();
        Assert.True(examples.Count >= 6, $"only {examples.Count} curl examples found: {string.Join(", ", examples.Select(e => e.Where))}");

        await using var host = await DocHost.StartAsync("tracing:\n  enabled: false\n", []);
        var address = host.Client.BaseAddress!.ToString().TrimEnd('/');
        var failures = new List<string>();
        foreach (var example in examples)
        {
            var (status, body) = await RunAsync(example.Command.Replace(DocumentedAddress, address, StringComparison.Ordinal));
            var expected = example.ExpectedStatus is { } code ? status == code : status is >= 200 and < 300;
            if (!expected)
            {
                failures.Add($"{example.Where}: `{example.Command}` answered {status}, expected {example.ExpectedStatus?.ToString() ?? "2xx"}");
            }
            else if (RelayStatuses(body).FirstOrDefault(s => s is < 200 or >= 300) is var failedCall and not 0)
            {
                // The relay answers 200 whatever its calls got: an example whose calls fail is broken too.
                failures.Add($"{example.Where}: `{example.Command}` made a call that answered {failedCall}: {body}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static IEnumerable<CurlExample> Examples()
    {
        foreach (var block in DocFiles.OfLanguage("bash"))
        {
            var joined = block.Content.Replace("\\\n", " ", StringComparison.Ordinal);
            foreach (var line in joined.Split('\n'))
            {
                var at = line.IndexOf("curl ", StringComparison.Ordinal);
                if (at >= 0 && line.Contains(DocumentedAddress, StringComparison.Ordinal))
                {
                    yield return new CurlExample(block.ToString(), line[at..].Trim(), null);
                }
            }
        }

        foreach (var file in DocFiles.Files)
        {
            var lines = DocFiles.Text(file).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match inline in InlineCurl().Matches(lines[i]))
                {
                    var answers = Answers().Match(lines[i], inline.Index + inline.Length);
                    yield return new CurlExample($"{file}:{i + 1}", inline.Groups["command"].Value, answers.Success ? int.Parse(answers.Groups["status"].Value) : null);
                }
            }
        }
    }

    private static async Task<bool> CurlInstalledAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", "command -v curl"]) { RedirectStandardOutput = true })!;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0;
    }

    /// <summary>Runs the command through bash, curl writing the body to a file and only the status code to stdout.</summary>
    private static async Task<(int Status, string Body)> RunAsync(string command)
    {
        var bodyFile = Path.GetTempFileName();
        try
        {
            using var process = Process.Start(new ProcessStartInfo("bash", ["-c", $"{command} -s -o '{bodyFile}' -w '%{{http_code}}' --max-time 20"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (int.TryParse(output.Trim(), out var status) ? status : -process.ExitCode, await File.ReadAllTextAsync(bodyFile));
        }
        finally
        {
            File.Delete(bodyFile);
        }
    }

    /// <summary>The <c>statuses</c> of a relay answer (<c>{"calls":1,"statuses":[200]}</c>); none for any other body.</summary>
    private static IEnumerable<int> RelayStatuses(string body)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && json.RootElement.TryGetProperty("statuses", out var statuses)
                ? [.. statuses.EnumerateArray().Select(s => s.GetInt32())]
                : [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    [GeneratedRegex(@"`(?<command>curl [^`]*http://127\.0\.0\.1:8087[^`]*)`")]
    private static partial Regex InlineCurl();

    [GeneratedRegex(@"\G\s*answers (?<status>\d{3})\b")]
    private static partial Regex Answers();
}
