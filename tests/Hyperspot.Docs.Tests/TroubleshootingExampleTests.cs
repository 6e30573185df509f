using System.Net.Sockets;
using System.Text.RegularExpressions;
using Hyperspot.Docs.Tests.Support;
using Hyperspot.Modules;
using Hyperspot.Server.Cli;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry.Diagnosis;
using Hyperspot.TestBackend;
using Hyperspot.Modules.ModuleKit;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Docs.Tests;

/// <summary>
/// The "No traces appearing" guide: it starts with <c>check --exporter</c>, and every output it shows is what the
/// command prints in the situation the example sets up (the viewer running, stopped, on other ports, wanting an
/// API key), run against the real viewer. Ports, timings and trace ids are the only liberties the guide takes.
/// </summary>
[Collection(HostCollection.Name)]
public sealed partial class TroubleshootingExampleTests : IAsyncLifetime
{
    private const string Section = "### No traces appearing";

    private readonly Dictionary<string, AspireDashboard> _viewers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var viewer in _viewers.Values)
        {
            await viewer.DisposeAsync();
        }
    }

    /// <summary>The code blocks of the section, in order.</summary>
    private static List<CodeBlock> SectionBlocks()
    {
        var lines = DocFiles.Text("docs/TRACING.md").Split('\n');
        var first = Array.FindIndex(lines, l => l == Section) + 1;
        Assert.True(first > 0, $"docs/TRACING.md has no '{Section}'");
        var next = Array.FindIndex(lines, first, l => l.StartsWith("### ", StringComparison.Ordinal) || l.StartsWith("## ", StringComparison.Ordinal)) + 1;
        return [.. DocFiles.Read("docs/TRACING.md").Where(b => b.Line > first && (next == 0 || b.Line < next))];
    }

    /// <summary>Each <c>check --exporter</c> example of the section with the output block that follows it.</summary>
    private static List<(CodeBlock Command, CodeBlock Output)> Examples()
    {
        var blocks = SectionBlocks();
        var examples = new List<(CodeBlock, CodeBlock)>();
        for (var i = 0; i + 1 < blocks.Count; i++)
        {
            if (blocks[i].Language == "bash" && blocks[i].Content.Contains("check --exporter", StringComparison.Ordinal))
            {
                Assert.True(blocks[i + 1].Language == "text", $"{blocks[i]}: the example's output should follow it in a text block");
                examples.Add((blocks[i], blocks[i + 1]));
            }
        }

        return examples;
    }

    public static TheoryData<string> ExampleNames() => [.. Examples().Select(e => e.Command.ToString())];

    [Fact]
    public void The_section_starts_with_the_exporter_check_and_shows_the_three_commonest_failures()
    {
        var examples = Examples();
        Assert.Equal(SectionBlocks()[0], examples[0].Command);
        Assert.StartsWith("Configuration is valid", examples[0].Output.Content);

        var outputs = examples.Select(e => e.Output.Content).ToList();
        Assert.Contains(outputs, o => o.Contains("FAIL  tcp       nothing is listening", StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.Contains("FAIL  spans     wrong port for the protocol", StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.Contains("FAIL  spans     the backend refused the export", StringComparison.Ordinal));
        var section = DocFiles.Normalize(DocFiles.Text("docs/TRACING.md")[DocFiles.Text("docs/TRACING.md").IndexOf(Section, StringComparison.Ordinal)..]);
        Assert.Contains(ExportFailureClassifier.HttpPortForGrpc, section.Replace("`", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public async Task The_output_shown_is_what_the_command_prints(string name)
    {
        var (command, output) = Examples().Single(e => e.Command.ToString() == name);
        var setup = Setup.Of(command);
        var viewer = setup.ViewerRunning ? await ViewerAsync(setup.ApiKey) : null;
        var grpcPort = viewer?.OtlpGrpcEndpoint.Port ?? FreePort();
        var httpPort = viewer?.OtlpHttpEndpoint.Port ?? FreePort();

        var arguments = setup.Arguments
            .Select(a => a.Replace($"127.0.0.1:{setup.GrpcPort}", $"127.0.0.1:{grpcPort}").Replace($"127.0.0.1:{setup.HttpPort}", $"127.0.0.1:{httpPort}"))
            .Select(a => a.EndsWith(".yaml", StringComparison.Ordinal) ? Repo.PathOf(a) : a)
            .ToList();
        if (!arguments.Any(a => a.StartsWith("--tracing:exporter:endpoint=", StringComparison.Ordinal)))
        {
            Assert.Contains("endpoint: \"http://127.0.0.1:4317\"", File.ReadAllText(Repo.PathOf("config/quickstart.yaml")));
            Assert.Equal(4317, setup.GrpcPort);
            arguments.Add($"--tracing:exporter:endpoint=http://127.0.0.1:{grpcPort}");
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await new ServerCommandLine(ShippedModules.All, stdout, stderr).InvokeAsync([.. arguments]);
        var printed = stdout.ToString().Replace($"127.0.0.1:{grpcPort}", $"127.0.0.1:{setup.GrpcPort}").Replace($"127.0.0.1:{httpPort}", $"127.0.0.1:{setup.HttpPort}");

        var shown = Lines(output.Content);
        var actual = Lines(printed);
        var at = Enumerable.Range(0, Math.Max(0, actual.Count - shown.Count + 1)).FirstOrDefault(i => actual.Skip(i).Take(shown.Count).SequenceEqual(shown), -1);
        Assert.True(at >= 0, $"{output} shows lines the command does not print in a row.\nshown:\n{string.Join('\n', shown)}\nprinted (exit {code}):\n{string.Join('\n', actual)}\n{stderr}");
        Assert.Equal(shown.Any(l => l.StartsWith("FAIL", StringComparison.Ordinal)) ? 1 : 0, code);
    }

    [Fact]
    public void The_running_servers_warning_in_the_guide_uses_the_checks_words()
    {
        var refused = ExportFailureClassifier.FromError(
            new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)),
            new Uri("http://127.0.0.1:4317"),
            grpc: true,
            new SecretRedactor([]));
        var warning = DocFiles.Blocks.Single(b => b.Language == "text" && b.Content.Contains("Span export to", StringComparison.Ordinal));
        Assert.Contains($"failed: {refused.Cause} (", warning.Content, StringComparison.Ordinal);
        Assert.Contains(Examples().Select(e => e.Output.Content), o => o.Contains($"FAIL  tcp       {refused.Cause} (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_readme_lists_every_option_of_check()
    {
        using var stdout = new StringWriter();
        Assert.Equal(0, await new ServerCommandLine(ShippedModules.All, stdout, new StringWriter()).InvokeAsync(["check", "--help"]));
        var rootOptions = new[] { "--config", "-c", "--verbose", "-v", "-vv", "--print-config", "--list-modules", "--environment", "--contentRoot", "--applicationName", "--help", "-h", "-?" };
        var own = CheckOption().Matches(stdout.ToString()).Select(m => m.Groups["option"].Value).Except(rootOptions).ToList();

        Assert.Contains("--exporter", own);
        foreach (var option in own)
        {
            Assert.Contains($"| `check {option}` |", DocFiles.Text("README.md"), StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"^\s+(?<option>--?[a-z][a-zA-Z-]*)", RegexOptions.Multiline)]
    private static partial Regex CheckOption();

    private async Task<AspireDashboard> ViewerAsync(string? apiKey)
    {
        var key = apiKey ?? "";
        if (!_viewers.TryGetValue(key, out var viewer))
        {
            viewer = await AspireDashboard.StartAsync(new AspireDashboardOptions { ApiKey = apiKey });
            _viewers[key] = viewer;
        }

        return viewer;
    }

    private static int FreePort() => FreePorts.Pick();

    /// <summary>The lines with what changes from run to run (durations, trace ids) made alike.</summary>
    private static List<string> Lines(string text) =>
        [.. text.ReplaceLineEndings("\n").Split('\n')
            .Select(l => TraceId().Replace(Milliseconds().Replace(l.TrimEnd(), "N ms"), "<trace id>"))
            .Where(l => l.Length > 0)];

    [GeneratedRegex(@"\b\d+ ms\b")]
    private static partial Regex Milliseconds();

    [GeneratedRegex(@"\b[0-9a-f]{32}\b")]
    private static partial Regex TraceId();

    /// <summary>What an example's bash block sets up: the viewer (running or not, its ports, its key) and the command.</summary>
    private sealed record Setup(bool ViewerRunning, string? ApiKey, int GrpcPort, int HttpPort, IReadOnlyList<string> Arguments)
    {
        public static Setup Of(CodeBlock block)
        {
            var lines = block.Content.Split('\n');
            var viewer = lines.SingleOrDefault(l => l.Contains("./scripts/trace-viewer", StringComparison.Ordinal)) ?? "";
            string? Variable(string name) => Regex.Match(viewer, $@"\b{name}=(\S+)") is { Success: true } m ? m.Groups[1].Value : null;
            var run = lines.Single(l => l.StartsWith("dotnet run --project src/Hyperspot.Server -- ", StringComparison.Ordinal));
            var stopped = lines.Any(l => l.Trim() == "# the viewer is not running");
            Assert.True(stopped || viewer.Length > 0 || !lines.Any(l => l.Contains("VIEWER_", StringComparison.Ordinal)), $"{block}: VIEWER_ variables without the viewer");
            return new Setup(
                !stopped,
                Variable("VIEWER_API_KEY"),
                int.Parse(Variable("VIEWER_OTLP_GRPC_PORT") ?? "4317"),
                int.Parse(Variable("VIEWER_OTLP_HTTP_PORT") ?? "4318"),
                run["dotnet run --project src/Hyperspot.Server -- ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
    }
}
