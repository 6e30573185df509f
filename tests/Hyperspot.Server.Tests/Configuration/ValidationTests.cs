using Hyperspot.Modules;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Tests.Support;
using Microsoft.Extensions.Logging;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Tests.Configuration;

public class ValidationTests
{
    private static readonly string UserHome = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    [Fact]
    public void An_error_names_the_full_path_and_the_bad_value()
    {
        var error = Config.Error("tracing:\n  sampler:\n    strategy: ratio\n    ratio: 1.5\n");

        Assert.Equal("tracing.sampler.ratio: must be between 0 and 1 (got 1.5)", error);
    }

    [Fact]
    public void Every_error_is_reported_at_once_one_line_each()
    {
        var errors = Config.Errors("""
            server:
              port: 70000
              enable_docs: sometimes
            tracing:
              exporter:
                kind: zipkin
                timeout_ms: soon
              sampler:
                ratio: -0.5
            logging:
              default:
                console_level: loud
            """);

        Assert.Equal(6, errors.Count);
        Assert.Contains("server.port: must be between 0 and 65535 (got 70000)", errors);
        Assert.Contains(errors, e => e.StartsWith("server.enable_docs:") && e.Contains("'sometimes'"));
        Assert.Contains(errors, e => e.StartsWith("tracing.exporter.kind:") && e.Contains("'zipkin'") && e.Contains("otlp_grpc, otlp_http"));
        Assert.Contains(errors, e => e.StartsWith("tracing.exporter.timeout_ms:") && e.Contains("'soon'"));
        Assert.Contains(errors, e => e.StartsWith("tracing.sampler.ratio:") && e.Contains("-0.5"));
        Assert.Contains(errors, e => e.StartsWith("logging.default.console_level:") && e.Contains("'loud'"));
        Assert.All(errors, e => Assert.DoesNotContain('\n', e));
    }

    [Theory]
    [InlineData("tracing:\n  servce_name: api\n", "tracing.servce_name", "service_name")]
    [InlineData("server:\n  prot: 8080\n", "server.prot", "port")]
    [InlineData("tracing:\n  exporter:\n    endpont: http://x:4317\n", "tracing.exporter.endpont", "endpoint")]
    [InlineData("tracing:\n  sampler:\n    ration: 0.5\n", "tracing.sampler.ration", "ratio")]
    [InlineData("logging:\n  default:\n    fiel: x.log\n", "logging.default.fiel", "file")]
    [InlineData("tracng:\n  enabled: true\n", "tracng", "tracing")]
    [InlineData("modules:\n  exmaples:\n    enabled: false\n", "modules.exmaples", "examples")]
    [InlineData("modules:\n  examples:\n    enabeld: false\n", "modules.examples.enabeld", "enabled")]
    [InlineData("modules:\n  examples:\n    config:\n      extrnal_base_url: http://x\n", "modules.examples.config.extrnal_base_url", "external_base_url")]
    public void An_unknown_key_is_an_error_naming_it_and_the_closest_valid_key(string yaml, string path, string suggestion)
    {
        var error = Config.Error(yaml);

        Assert.StartsWith(path + ":", error);
        Assert.Contains($"'{suggestion}'", error);
    }

    [Fact]
    public void An_unknown_key_far_from_every_valid_key_lists_the_valid_keys()
    {
        var error = Config.Error("server:\n  completely_unrelated: 1\n");

        Assert.StartsWith("server.completely_unrelated: unknown key", error);
        Assert.Contains("home_dir", error);
        Assert.Contains("port", error);
    }

    [Fact]
    public void An_unknown_key_given_through_an_app_variable_is_named_in_lower_case_with_the_variable()
    {
        var error = Config.Error(null, new Dictionary<string, string> { ["APP__TRACING__SAMPLR"] = "x" });

        Assert.Equal("tracing.samplr (from APP__TRACING__SAMPLR): unknown key (did you mean 'sampler'?)", error);
    }

    [Theory]
    [InlineData("APP__TRACNG__ENABLED", "tracng (from APP__TRACNG__ENABLED): unknown section (did you mean 'tracing'?)")]
    [InlineData("APP__MODULES__EXAMPLS__ENABLED", "modules.exampls (from APP__MODULES__EXAMPLS__ENABLED): unknown module (did you mean 'examples'?)")]
    [InlineData("APP__MODULES__SYSTEM__CONFIG__VERBOSE", "modules.system.config.verbose (from APP__MODULES__SYSTEM__CONFIG__VERBOSE): unknown key (the system module takes no configuration)")]
    [InlineData("APP__Server__Prot", "server.prot (from APP__Server__Prot): unknown key (did you mean 'port'?)")]
    public void Every_unknown_name_from_an_app_variable_is_reported_in_lower_case_with_the_variable(string variable, string expected)
    {
        Assert.Equal(expected, Config.Error(null, new Dictionary<string, string> { [variable] = "1" }));
    }

    [Fact]
    public void An_unknown_key_given_as_a_flag_is_named_with_the_flag()
    {
        var error = Config.Error(null, overrides: new Dictionary<string, string> { ["tracing:Servce_Name"] = "x" });

        Assert.Equal("tracing.servce_name (from --tracing:Servce_Name): unknown key (did you mean 'service_name'?)", error);
    }

    [Fact]
    public void An_unknown_key_in_the_file_keeps_the_file_spelling_and_no_origin()
    {
        Assert.Equal("tracing.Servce_Name: unknown key (did you mean 'service_name'?)", Config.Error("tracing:\n  Servce_Name: x\n"));
    }

    [Fact]
    public void A_module_option_from_an_app_variable_is_named_by_its_key_not_the_variable_spelling()
    {
        var error = Config.Error(null, new Dictionary<string, string> { ["APP__MODULES__EXAMPLES__CONFIG__EXTERNAL_BASE_URL"] = "not-a-url" });

        Assert.StartsWith("modules.examples.config.external_base_url: must be an absolute", error);
    }

    [Fact]
    public void A_ratio_strategy_without_a_ratio_is_an_error_naming_the_ratio()
    {
        var error = Config.Error("tracing:\n  sampler:\n    strategy: parentbased_ratio\n");

        Assert.StartsWith("tracing.sampler.ratio:", error);
    }

    [Theory]
    [InlineData("otlp_grpc", "http://collector:4318", "4318")]
    [InlineData("otlp_http", "http://collector:4317", "4317")]
    public void An_exporter_port_that_belongs_to_the_other_protocol_is_an_error(string kind, string endpoint, string port)
    {
        var error = Config.Error($"tracing:\n  exporter:\n    kind: {kind}\n    endpoint: {endpoint}\n");

        Assert.StartsWith("tracing.exporter.endpoint:", error);
        Assert.Contains(port, error);
        Assert.Contains(endpoint, error);
    }

    [Fact]
    public void Home_dir_defaults_to_dot_hyperspot_in_the_user_home()
    {
        Assert.Equal(Path.Combine(UserHome, ".hyperspot"), Config.Read(null).Server.HomeDir);
    }

    [Theory]
    [InlineData("~/hyperspot-data", "hyperspot-data")]
    [InlineData("~", "")]
    public void A_tilde_in_home_dir_is_the_user_home(string homeDir, string relative)
    {
        var settings = Config.Read($"server:\n  home_dir: \"{homeDir}\"\n");

        Assert.Equal(Path.GetFullPath(Path.Combine(UserHome, relative)), settings.Server.HomeDir);
    }

    [Fact]
    public void A_relative_log_file_resolves_against_home_dir()
    {
        using var home = new TempDirectory();

        var settings = Config.Read($"server:\n  home_dir: {home.Path}\nlogging:\n  default:\n    file: custom/server.log\n");

        Assert.Equal(Path.Combine(home.Path, "custom", "server.log"), settings.Logging.File);
    }

    [Fact]
    public void The_default_log_file_lives_under_home_dir()
    {
        using var home = new TempDirectory();

        var settings = Config.Read(null, new Dictionary<string, string> { ["APP__SERVER__HOME_DIR"] = home.Path });

        Assert.Equal(Path.Combine(home.Path, "logs", "hyperspot.log"), settings.Logging.File);
    }

    [Fact]
    public void An_absolute_log_file_and_one_under_the_user_home_are_kept()
    {
        using var home = new TempDirectory();
        var absolute = Path.Combine(home.Path, "elsewhere", "a.log");

        Assert.Equal(absolute, Config.Read($"server:\n  home_dir: /srv/hs\nlogging:\n  default:\n    file: {absolute}\n").Logging.File);
        Assert.Equal(Path.Combine(UserHome, "x.log"), Config.Read("server:\n  home_dir: /srv/hs\nlogging:\n  default:\n    file: ~/x.log\n").Logging.File);
    }

    [Fact]
    public void A_blank_host_is_an_error()
    {
        Assert.Equal("server.host: must not be empty", Config.Error("server:\n  host: \"   \"\n"));
    }

    [Fact]
    public void Verbosity_lowers_the_console_level_but_never_raises_it()
    {
        using var directory = new TempDirectory();
        var quiet = directory.Write("quiet.yaml", "logging:\n  default:\n    console_level: warn\n");
        var chatty = directory.Write("chatty.yaml", "logging:\n  default:\n    console_level: trace\n");
        var environment = Config.Environment(null);

        var debug = HyperspotSettings.Read(ConfigurationLoader.Load(quiet, [], environment), ShippedModules.All, LogLevel.Debug);
        var trace = HyperspotSettings.Read(ConfigurationLoader.Load(chatty, [], environment), ShippedModules.All, LogLevel.Debug);

        Assert.Equal(LogLevel.Debug, debug.Logging.ConsoleLevel);
        Assert.Equal(LogLevel.Trace, trace.Logging.ConsoleLevel);
    }
}
