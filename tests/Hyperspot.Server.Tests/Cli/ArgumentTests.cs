using Hyperspot.Server.Tests.Support;

namespace Hyperspot.Server.Tests.Cli;

/// <summary>
/// The arguments the parser does not know itself: configuration overrides <c>--section:key=value</c>, the standard
/// ASP.NET Core host settings, and everything else, which is an error that names it and never echoes a secret.
/// </summary>
public sealed class ArgumentTests : IDisposable
{
    private readonly TempDirectory _directory = new("hyperspot-args-");

    public void Dispose() => _directory.Dispose();

    private static Task<CommandLineRun> Run(string[] args) => CommandLineRun.Of(args);

    private string Yaml(string text) => _directory.Write($"config-{Guid.NewGuid():N}.yaml", text);

    private string ValidYaml() => Yaml($"server:\n  home_dir: {_directory.Combine("home")}\ntracing:\n  service_name: cli-test\n");

    [Fact]
    public async Task A_command_line_override_is_validated_like_the_file()
    {
        var result = await Run(["check", "-c", ValidYaml(), "--tracing:sampler:ratio=2"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: tracing.sampler.ratio: must be between 0 and 1 (got 2)", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData("surprise")]
    [InlineData("--database:url=x")]
    [InlineData("--tracing:enabled")]
    [InlineData("--nope=1")]
    public async Task An_unknown_argument_exits_2_naming_it(string argument)
    {
        var result = await Run(["check", "-c", ValidYaml(), argument]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(result.ErrorLines, l => l.Contains(argument.Split('=')[0]));
        Assert.DoesNotContain("valid", result.Output);
    }

    [Theory]
    [InlineData("--tracing:exporter:headers:authorization", "s3cr3t-CLISP")]
    [InlineData("--tracing:exporter:headers:authorization", "Bearer", "s3cr3t-CLISP2")]
    [InlineData("-tracing:exporter:headers:authorization", "s3cr3t-CLISP3")]
    [InlineData("tracing:exporter:headers:authorization", "Bearer", "s3cr3t-CLISP4")]
    [InlineData("-tracing:exporter:headers:authorization=s3cr3t-CLI1")]
    [InlineData("tracing:exporter:headers:authorization=s3cr3t-CLI2")]
    [InlineData("-tracing:exporter:endpoint=http://user:s3cr3t-CLI3@collector:4318")]
    public async Task A_mistyped_override_is_an_error_that_does_not_echo_a_secret_value(params string[] arguments)
    {
        var result = await Run(["check", "-c", ValidYaml(), .. arguments]);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.ErrorLines);
        Assert.DoesNotContain("s3cr3t", result.Error);
        Assert.Contains("tracing:exporter:", result.Error);
    }

    [Fact]
    public async Task An_override_given_twice_takes_its_last_value_whatever_its_case()
    {
        var result = await Run(["--config", ValidYaml(), "--print-config", "--server:port=19001", "--SERVER:Port=19002"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("port: 19002", result.Output);
        Assert.Empty(result.Error);
    }

    [Theory]
    [InlineData("--server=abc")]
    [InlineData("--Tracing=on")]
    public async Task A_whole_section_given_a_value_is_an_unknown_argument(string argument)
    {
        var result = await Run(["check", "-c", ValidYaml(), argument]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: unknown argument '{argument.Split('=')[0]}' (see --help)", Assert.Single(result.ErrorLines));
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task A_section_under_one_of_ours_given_a_value_is_refused_as_the_same_value_in_the_file_is()
    {
        var fromFile = await Run(["check", "-c", Yaml("modules:\n  examples: yes\n")]);

        var fromCommandLine = await Run(["check", "-c", ValidYaml(), "--modules:examples=yes"]);

        Assert.Equal(2, fromCommandLine.ExitCode);
        Assert.Equal("error: modules.examples: must be a section of keys (got 'yes')", Assert.Single(fromCommandLine.ErrorLines));
        Assert.Equal(fromFile.ErrorLines, fromCommandLine.ErrorLines);
    }

    [Fact]
    public async Task A_section_given_an_empty_value_is_an_empty_section_as_in_the_file()
    {
        var path = ValidYaml();
        var plain = await Run(["--print-config", "-c", path]);

        var result = await Run(["--print-config", "-c", path, "--server=", "--tracing=", "--modules:examples="]);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Error);
        Assert.Equal(plain.Output, result.Output);
    }

    [Theory]
    [InlineData("--environment", "Staging")]
    [InlineData("--environment=Staging")]
    [InlineData("--contentRoot", "/tmp")]
    [InlineData("--contentRoot=/tmp")]
    [InlineData("--applicationName", "api-gateway")]
    [InlineData("--applicationName=api-gateway")]
    public async Task The_standard_host_settings_are_options_with_or_without_equals(params string[] arguments)
    {
        Assert.Equal(0, (await Run(["check", "-c", ValidYaml(), .. arguments])).ExitCode);
        Assert.Equal(0, (await Run([.. arguments, "--print-config", "-c", ValidYaml()])).ExitCode);
    }

    [Fact]
    public async Task A_host_setting_without_its_value_exits_2_naming_it()
    {
        var result = await Run(["check", "-c", ValidYaml(), "--environment"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(result.ErrorLines, l => l.StartsWith("error: ") && l.Contains("--environment"));
    }

    [Theory]
    [InlineData("check")]
    [InlineData("run")]
    public async Task A_content_root_that_does_not_exist_exits_2_naming_it(string command)
    {
        var missing = _directory.Combine("no-such-content-root");

        var result = await Run([command, "-c", ValidYaml(), "--contentRoot", missing]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(missing, Assert.Single(result.ErrorLines));
        Assert.StartsWith("error: ", result.ErrorLines[0]);
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("--urls=http://0.0.0.0:80")]
    [InlineData("--hostingStartupAssemblies=Other.Assembly")]
    [InlineData("--preventHostingStartup=true")]
    public async Task Other_host_settings_are_unknown_arguments(string argument)
    {
        var result = await Run(["check", "-c", ValidYaml(), argument]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: unknown argument '{argument.Split('=')[0]}' (see --help)", Assert.Single(result.ErrorLines));
        Assert.Empty(result.Output);
    }
}
