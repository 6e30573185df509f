using System.Runtime.InteropServices;
using Hyperspot.Modules.Health;
using Hyperspot.Server.Tests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.Server.Tests.Acceptance;

/// <summary>
/// The acceptance lines for <c>check</c> and <c>--print-config</c>, through the real server process (run from the
/// repository root, with no APP__ or OTEL_ variables but the ones a test sets).
/// </summary>
public sealed class CommandAcceptanceTests : IDisposable
{
    private readonly TempDirectory _directory = new("hyperspot-accept-");

    public void Dispose() => _directory.Dispose();

    private static async Task<ServerProcess> Run(string[] args, IReadOnlyDictionary<string, string?>? environment = null) =>
        await ServerProcess.RunToExitAsync(args, environment, TimeSpan.FromSeconds(60));

    /// <summary>Runs the server until it exits; one that is still running after <paramref name="seconds"/> is killed and fails the test.</summary>
    private static async Task<ServerProcess> RunBounded(string[] args, int seconds = 30)
    {
        var process = ServerProcess.Start(args);
        try
        {
            await process.WaitForExitAsync(TimeSpan.FromSeconds(seconds));
            return process;
        }
        catch (TimeoutException)
        {
            await process.DisposeAsync();
            throw new Xunit.Sdk.XunitException($"still running after {seconds} s: {string.Join(' ', args)}");
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void AssertCleanErrors(ServerProcess process)
    {
        Assert.Equal(2, process.ExitCode);
        Assert.NotEmpty(Lines(process.StandardError));
        Assert.All(Lines(process.StandardError), line => Assert.StartsWith("error: ", line));
        Assert.DoesNotContain("   at ", process.StandardError);
        Assert.DoesNotContain("Unhandled", process.StandardError);
        Assert.DoesNotContain("Exception", process.StandardError);
    }

    [Fact]
    public async Task Check_of_the_shipped_tracing_config_is_valid()
    {
        await using var process = await Run(["--config", "config/with-tracing.yaml", "check"]);

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("Configuration is valid", process.StandardOutput.Trim());
        Assert.Empty(process.StandardError);
    }

    [Fact]
    public async Task Check_of_a_missing_file_exits_2_naming_the_path()
    {
        await using var process = await Run(["--config", "config/no-such-file.yaml", "check"]);

        AssertCleanErrors(process);
        Assert.Contains("config/no-such-file.yaml", Assert.Single(Lines(process.StandardError)));
    }

    [Fact]
    public async Task Check_of_an_out_of_range_ratio_exits_2_naming_the_key()
    {
        var path = _directory.Write("ratio.yaml", "tracing:\n  enabled: true\n  sampler:\n    strategy: parentbased_ratio\n    ratio: 1.5\n");

        await using var process = await Run(["check", "--config", path]);

        AssertCleanErrors(process);
        Assert.Equal("error: tracing.sampler.ratio: must be between 0 and 1 (got 1.5)", Assert.Single(Lines(process.StandardError)));
    }

    [Fact]
    public async Task Check_of_a_misspelled_key_exits_2_naming_it()
    {
        var path = _directory.Write("typo.yaml", "tracing:\n  servce_name: api\n");

        await using var process = await Run(["-c", path, "check"]);

        AssertCleanErrors(process);
        var line = Assert.Single(Lines(process.StandardError));
        Assert.Contains("servce_name", line);
        Assert.Contains("service_name", line);
    }

    [Fact]
    public async Task Print_config_shows_a_service_name_set_through_app_variables()
    {
        await using var process = await Run(["--config", "config/with-tracing.yaml", "--print-config"], new Dictionary<string, string?> { ["APP__TRACING__SERVICE_NAME"] = "from-env" });

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("service_name: from-env", process.StandardOutput);
    }

    [Fact]
    public async Task Print_config_never_shows_an_authorization_header_value()
    {
        await using var process = await Run(
            ["--config", "config/with-tracing.yaml", "--print-config"],
            new Dictionary<string, string?> { ["APP__TRACING__EXPORTER__HEADERS__AUTHORIZATION"] = "Bearer s3cr3t-value" });

        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain("s3cr3t", process.StandardOutput + process.StandardError);
        Assert.Contains("***REDACTED***", process.StandardOutput);
    }

    [Fact]
    public async Task Otel_variables_sit_between_the_file_and_app_variables_and_the_command_line_wins()
    {
        await using var process = await Run(
            ["--config", "config/with-tracing.yaml", "--print-config", "--tracing:sampler:ratio=0.75"],
            new Dictionary<string, string?>
            {
                ["OTEL_SERVICE_NAME"] = "otel-service",
                ["OTEL_TRACES_SAMPLER"] = "traceidratio",
                ["OTEL_TRACES_SAMPLER_ARG"] = "0.25",
                ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "2500",
                ["APP__TRACING__SAMPLER__RATIO"] = "0.5",
                ["APP__TRACING__EXPORTER__TIMEOUT_MS"] = "3500",
            });

        Assert.Equal(0, process.ExitCode);
        var output = process.StandardOutput;
        Assert.Contains("service_name: otel-service", output);
        Assert.Contains("strategy: ratio", output);
        Assert.Contains("ratio: 0.75", output);
        Assert.Contains("timeout_ms: 3500", output);
    }

    [Fact]
    public async Task Version_prints_the_server_version()
    {
        await using var process = await Run(["--version"]);

        Assert.Equal(0, process.ExitCode);
        Assert.StartsWith(SystemModule.Version, process.StandardOutput.Trim());
    }

    [Theory]
    [InlineData("malformed", "tracing:\n  service_name: \"unterminated\n", "2:17: malformed YAML")]
    [InlineData("empty", "", "is empty")]
    [InlineData("wrong-type", "server:\n  port: eighty\n", "server.port: must be a whole number (got 'eighty')")]
    [InlineData("unknown-enum", "tracing:\n  exporter:\n    kind: zipkin\n", "tracing.exporter.kind: unknown value 'zipkin'")]
    [InlineData("unknown-module", "modules:\n  exmaples:\n    enabled: false\n", "modules.exmaples: unknown module (did you mean 'examples'?)")]
    public async Task Check_of_a_broken_file_exits_2_with_one_clean_line(string name, string yaml, string expected)
    {
        var path = _directory.Write(name + ".yaml", yaml);

        await using var process = await Run(["check", "-c", path]);

        AssertCleanErrors(process);
        Assert.Empty(process.StandardOutput);
        Assert.Contains(expected, Assert.Single(Lines(process.StandardError)));
        if (name is "malformed" or "empty")
        {
            Assert.Contains(path, process.StandardError);
        }
    }

    public static TheoryData<string, string, string> HostileFiles => new()
    {
        { "recursive-alias", "a: &a [*a]\n", "the alias *a is inside the node it names (a recursive alias)" },
        { "billion-laughs", "a: &a [x,x,x,x,x,x,x,x,x]\n" + string.Concat("bcdefghij".Select(c => $"{c}: &{c} [{string.Join(",", Enumerable.Repeat($"*{(char)(c - 1)}", 9))}]\n")), "aliases expand the file to more than 100,000 keys and list items (the limit)" },
        { "deep-sequences", "a: " + new string('[', 100_000) + new string(']', 100_000) + "\n", ":1:35: nested deeper than 32 levels (the limit)" },
        { "deep-mappings", "a: " + string.Concat(Enumerable.Repeat("{a: ", 100_000)) + "1" + new string('}', 100_000) + "\n", "nested deeper than 32 levels (the limit)" },
        { "not-a-host", "server:\n  host: \"not a host!!\"\n", "server.host: 'not a host!!' is neither an IP address nor a host name" },
    };

    /// <summary>These used to spin forever, fill memory, or overflow the stack with a 50,000-line trace (exit 134).</summary>
    [Theory]
    [MemberData(nameof(HostileFiles))]
    public async Task Check_of_a_hostile_file_exits_2_naming_the_limit(string name, string yaml, string expected)
    {
        var path = _directory.Write(name + ".yaml", yaml);

        await using var process = await RunBounded(["check", "-c", path]);

        AssertCleanErrors(process);
        Assert.Contains(expected, Assert.Single(Lines(process.StandardError)));
    }

    [Fact]
    public async Task Check_of_a_fifo_exits_2_instead_of_waiting_for_a_writer()
    {
        var path = _directory.Combine("config.fifo");
        Assert.Equal(0, mkfifo(path, 0b110_000_000));

        await using var process = await RunBounded(["check", "-c", path]);

        AssertCleanErrors(process);
        Assert.Equal($"error: config file {path}: is a named pipe (FIFO), not a regular file; configuration is read only from regular files", Assert.Single(Lines(process.StandardError)));
    }

    [Fact]
    public async Task Run_with_a_link_to_dev_zero_exits_2_instead_of_reading_forever()
    {
        var path = _directory.Combine("zero.yaml");
        File.CreateSymbolicLink(path, "/dev/zero");

        await using var process = await RunBounded(["run", "-c", path]);

        AssertCleanErrors(process);
        Assert.Equal($"error: config file {path}: is a character device (it links to /dev/zero), not a regular file; configuration is read only from regular files", Assert.Single(Lines(process.StandardError)));
    }

    [Fact]
    public async Task Check_reports_a_misspelled_app_variable_in_lower_case_with_the_variable()
    {
        await using var process = await Run(["check"], new Dictionary<string, string?> { ["APP__TRACING__SAMPLR"] = "always_on" });

        AssertCleanErrors(process);
        Assert.Equal("error: tracing.samplr (from APP__TRACING__SAMPLR): unknown key (did you mean 'sampler'?)", Assert.Single(Lines(process.StandardError)));
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(string path, uint mode);
}
