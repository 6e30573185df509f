using Hyperspot.Server.Tests.Support;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Tests.Cli;

/// <summary>
/// The command line in-process (<c>check</c>, <c>--print-config</c>, <c>--list-modules</c>,
/// <c>--help</c>, argument errors, a run that fails to start): everything except serving requests.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory _directory = new("hyperspot-cli-");

    public void Dispose() => _directory.Dispose();

    private static Task<CommandLineRun> Run(string[] args, IReadOnlyList<IModule>? modules = null) => CommandLineRun.Of(args, modules);

    private string Yaml(string text) => _directory.Write($"config-{Guid.NewGuid():N}.yaml", text);

    private string ValidYaml() => Yaml($"server:\n  home_dir: {_directory.Combine("home")}\ntracing:\n  service_name: cli-test\n");

    [Fact]
    public async Task Check_accepts_a_valid_file_and_says_so()
    {
        var result = await Run(["--config", ValidYaml(), "check"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Configuration is valid", result.Output.Trim());
        Assert.Empty(result.Error);
    }

    [Theory]
    [InlineData("--config", "{0}", "check")]
    [InlineData("-c", "{0}", "check")]
    [InlineData("check", "--config", "{0}")]
    [InlineData("check", "-c", "{0}")]
    [InlineData("--config={0}", "check", "")]
    public async Task The_config_option_works_before_and_after_the_subcommand(string first, string second, string third)
    {
        var path = Yaml("tracing:\n  sampler:\n    ratio: 1.5\n");
        string[] args = [.. new[] { first, second, third }.Where(a => a.Length > 0).Select(a => string.Format(a, path))];

        var result = await Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("tracing.sampler.ratio", result.Error);
    }

    [Fact]
    public async Task Check_reports_every_error_on_its_own_stderr_line_and_exits_2()
    {
        var result = await Run(["check", "-c", Yaml("server:\n  port: 70000\ntracing:\n  servce_name: x\n  exporter:\n    kind: zipkin\n")]);

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("valid", result.Output);
        Assert.Equal(3, result.ErrorLines.Length);
        Assert.All(result.ErrorLines, line => Assert.StartsWith("error: ", line));
        Assert.Contains(result.ErrorLines, l => l.Contains("server.port") && l.Contains("70000"));
        Assert.Contains(result.ErrorLines, l => l.Contains("tracing.servce_name") && l.Contains("service_name"));
        Assert.Contains(result.ErrorLines, l => l.Contains("tracing.exporter.kind") && l.Contains("zipkin"));
    }

    [Fact]
    public async Task Run_print_config_and_list_modules_refuse_what_check_refuses_with_the_same_lines()
    {
        var path = Yaml("server:\n  port: 70000\ntracing:\n  servce_name: x\n");
        var check = await Run(["check", "-c", path, "--tracing:sampler:ratio=2"]);

        string[][] commands = [["run"], [], ["--print-config"], ["--list-modules"]];
        foreach (var command in commands)
        {
            var result = await Run([.. command, "-c", path, "--tracing:sampler:ratio=2"]);

            Assert.Equal(2, result.ExitCode);
            Assert.Empty(result.Output);
            Assert.Equal(check.ErrorLines, result.ErrorLines);
        }

        Assert.Equal(3, check.ErrorLines.Length);
    }

    [Fact]
    public async Task A_missing_file_exits_2_naming_the_path()
    {
        var missing = _directory.Combine("does-not-exist.yaml");

        var result = await Run(["check", "--config", missing]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(missing, Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task The_config_option_without_a_path_exits_2()
    {
        var result = await Run(["check", "--config"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--config", result.Error);
    }

    [Fact]
    public async Task Print_config_writes_the_merged_configuration_and_exits_0()
    {
        var result = await Run(["-c", ValidYaml(), "--print-config", "--tracing:exporter:timeout_ms=4321"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("service_name: cli-test", result.Output);
        Assert.Contains("timeout_ms: 4321", result.Output);
        Assert.Contains("port: 8087", result.Output);
    }

    [Fact]
    public async Task Print_config_after_the_run_subcommand_works_too()
    {
        var result = await Run(["run", "--print-config", "--config", ValidYaml()]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("service_name: cli-test", result.Output);
    }

    [Fact]
    public async Task Print_config_of_an_invalid_configuration_prints_errors_not_yaml()
    {
        var result = await Run(["--print-config", "-c", Yaml("server:\n  port: nope\n")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Contains("server.port", result.Error);
    }

    [Fact]
    public async Task List_modules_shows_every_module_and_whether_it_is_enabled()
    {
        var result = await Run(["--list-modules", "-c", Yaml("modules:\n  examples:\n    enabled: false\n")]);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("system") && l.Contains("enabled") && !l.Contains("disabled"));
        Assert.Contains(lines, l => l.StartsWith("examples") && l.Contains("disabled"));
    }

    [Fact]
    public async Task List_modules_shows_dependencies_in_start_order()
    {
        IModule[] modules = [new FakeModule("api", "db"), new FakeModule("db")];

        var result = await Run(["--list-modules", "-c", ValidYaml()], modules);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("db", lines[0]);
        Assert.StartsWith("api", lines[1]);
        Assert.Contains("depends on: db", lines[1]);
    }

    [Fact]
    public async Task Check_reports_a_disabled_dependency_naming_both_modules()
    {
        IModule[] modules = [new FakeModule("api", "db"), new FakeModule("db")];

        var result = await Run(["check", "-c", ValidYaml(), "--modules:db:enabled=false"], modules);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("api", line);
        Assert.Contains("db", line);
    }

    [Fact]
    public async Task Check_reports_a_dependency_cycle_with_its_path()
    {
        IModule[] modules = [new FakeModule("a", "b"), new FakeModule("b", "a")];

        var result = await Run(["check", "-c", ValidYaml()], modules);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("a -> b -> a", result.Error);
    }

    [Fact]
    public async Task A_module_that_fails_to_start_exits_1_with_one_line_after_the_modules_before_it_stopped()
    {
        var journal = new ModuleJournal();
        IModule[] modules =
        [
            new FakeModule("db") { Journal = journal },
            new FakeModule("bad", "db") { Journal = journal, OnStart = _ => throw new InvalidOperationException("cannot reach the queue") },
        ];
        var path = Yaml($"server:\n  home_dir: {_directory.Combine("failing-home")}\n  port: 0\n");

        var result = await Run(["--config", path], modules);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: the server failed: cannot reach the queue", Assert.Single(result.ErrorLines));
        Assert.Equal(["start db", "start bad", "stop db"], journal.Entries);
    }

    [Fact]
    public async Task Help_describes_the_options_and_commands_and_exits_0()
    {
        var result = await Run(["--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (var expected in new[] { "--config", "-c", "-v", "-vv", "--print-config", "--list-modules", "--environment", "--contentRoot", "--applicationName", "--version", "check", "run" })
        {
            Assert.Contains(expected, result.Output);
        }
    }

    [Fact]
    public async Task Verbosity_flags_are_accepted_with_every_command()
    {
        Assert.Equal(0, (await Run(["-v", "check", "-c", ValidYaml()])).ExitCode);
        Assert.Equal(0, (await Run(["check", "-vv", "-c", ValidYaml()])).ExitCode);
        Assert.Equal(0, (await Run(["--verbose", "--print-config", "-c", ValidYaml()])).ExitCode);
    }
}
