using Hyperspot.Server.Configuration;
using Hyperspot.Server.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Server.Tests.Configuration;

/// <summary>defaults &lt; YAML &lt; OTEL_* &lt; APP__ &lt; --section:key=value, loaded in-process with a private environment.</summary>
public class LayeringTests
{
    private const string Yaml = """
        tracing:
          enabled: true
          service_name: from-yaml
          exporter:
            kind: otlp_grpc
            endpoint: http://yaml-collector:4317
            timeout_ms: 1000
          sampler:
            strategy: parentbased_ratio
            ratio: 0.1
          resource:
            service.version: 1.0.0
            deployment.environment: dev
          http:
            record_headers: [a, b, c]
        """;

    private static Dictionary<string, string> Env(params (string Name, string Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void Without_a_file_every_key_has_its_documented_default()
    {
        var settings = Config.Read(null);

        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".hyperspot");
        Assert.Equal(home, settings.Server.HomeDir);
        Assert.Equal("127.0.0.1", settings.Server.Host);
        Assert.Equal(8087, settings.Server.Port);
        Assert.True(settings.Server.EnableDocs);
        Assert.False(settings.Tracing.Enabled);
        Assert.Equal("hyperspot", settings.Tracing.ServiceName);
        Assert.Equal(ExporterKind.OtlpGrpc, settings.Tracing.Exporter.Kind);
        Assert.Equal("http://127.0.0.1:4317", settings.Tracing.Exporter.Endpoint);
        Assert.Equal(SamplerStrategy.ParentBasedAlwaysOn, settings.Tracing.Sampler.Strategy);
        Assert.Equal(Path.Combine(home, "logs", "hyperspot.log"), settings.Logging.File);
        Assert.Equal(LogLevel.Information, settings.Logging.ConsoleLevel);
        Assert.True(settings.Modules.IsEnabled("system"));
        Assert.True(settings.Modules.IsEnabled("examples"));
    }

    [Fact]
    public void The_file_overrides_the_defaults_and_keeps_the_rest()
    {
        var settings = Config.Read("server:\n  port: 9001\n");

        Assert.Equal(9001, settings.Server.Port);
        Assert.Equal("127.0.0.1", settings.Server.Host);
    }

    [Theory]
    [InlineData(false, false, false, "from-yaml")]
    [InlineData(true, false, false, "from-otel")]
    [InlineData(true, true, false, "from-app")]
    [InlineData(true, true, true, "from-cli")]
    [InlineData(false, true, false, "from-app")]
    [InlineData(true, false, true, "from-cli")]
    public void Each_layer_overrides_the_ones_below_it(bool otel, bool app, bool cli, string expected)
    {
        var environment = new Dictionary<string, string>();
        if (otel)
        {
            environment["OTEL_SERVICE_NAME"] = "from-otel";
        }

        if (app)
        {
            environment["APP__TRACING__SERVICE_NAME"] = "from-app";
        }

        var overrides = cli ? new Dictionary<string, string> { ["tracing:service_name"] = "from-cli" } : null;

        Assert.Equal(expected, Config.Read(Yaml, environment, overrides).Tracing.ServiceName);
    }

    [Fact]
    public void Otel_sdk_disabled_turns_tracing_off_and_app_variables_still_win_over_it()
    {
        Assert.False(Config.Read(Yaml, Env(("OTEL_SDK_DISABLED", "true"))).Tracing.Enabled);
        Assert.False(Config.Read(Yaml, Env(("OTEL_SDK_DISABLED", "TRUE"))).Tracing.Enabled);
        Assert.True(Config.Read(Yaml, Env(("OTEL_SDK_DISABLED", "false"))).Tracing.Enabled);
        Assert.True(Config.Read(Yaml, Env(("OTEL_SDK_DISABLED", "true"), ("APP__TRACING__ENABLED", "true"))).Tracing.Enabled);
    }

    [Fact]
    public void Otel_resource_attributes_add_to_the_resource_and_may_set_the_service_name()
    {
        var settings = Config.Read(Yaml, Env(("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=staging, team=core%20api,service.name=from-attributes")));

        Assert.Equal("staging", settings.Tracing.Resource["deployment.environment"]);
        Assert.Equal("core api", settings.Tracing.Resource["team"]);
        Assert.Equal("1.0.0", settings.Tracing.Resource["service.version"]);
        Assert.Equal("from-attributes", settings.Tracing.ServiceName);
        Assert.False(settings.Tracing.Resource.ContainsKey("service.name"));
    }

    [Fact]
    public void Otel_service_name_wins_over_the_service_name_in_otel_resource_attributes()
    {
        var settings = Config.Read(Yaml, Env(("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attributes"), ("OTEL_SERVICE_NAME", "from-service-name")));

        Assert.Equal("from-service-name", settings.Tracing.ServiceName);
    }

    [Fact]
    public void Otel_exporter_variables_set_endpoint_protocol_headers_and_timeout()
    {
        var settings = Config.Read(Yaml, Env(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4318"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=abc123,x-tenant=team%20a"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "2500")));

        var exporter = settings.Tracing.Exporter;
        Assert.Equal(ExporterKind.OtlpHttp, exporter.Kind);
        Assert.Equal("http://otel-collector:4318", exporter.Endpoint);
        Assert.Equal(new Uri("http://otel-collector:4318/v1/traces"), exporter.ExportUri);
        Assert.Equal("abc123", exporter.Headers["x-api-key"]);
        Assert.Equal("team a", exporter.Headers["x-tenant"]);
        Assert.Equal(2500, exporter.TimeoutMs);
    }

    [Fact]
    public void Otel_exporter_endpoint_with_a_path_gets_the_traces_path_appended_for_http()
    {
        var settings = Config.Read(Yaml, Env(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://gateway:4318/otlp"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")));

        Assert.Equal(new Uri("http://gateway:4318/otlp/v1/traces"), settings.Tracing.Exporter.ExportUri);
    }

    [Fact]
    public void Otel_exporter_protocol_grpc_selects_the_grpc_exporter()
    {
        var settings = Config.Read("tracing:\n  exporter:\n    kind: otlp_http\n", Env(("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")));

        Assert.Equal(ExporterKind.OtlpGrpc, settings.Tracing.Exporter.Kind);
        Assert.Equal("http://127.0.0.1:4317", settings.Tracing.Exporter.Endpoint);
    }

    [Fact]
    public void An_unsupported_otel_exporter_protocol_is_an_error_naming_the_key_and_the_value()
    {
        var error = Config.Error(null, Env(("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")));

        Assert.StartsWith("tracing.exporter.kind:", error);
        Assert.Contains("'http/json'", error);
    }

    [Theory]
    [InlineData("always_on", null, SamplerStrategy.AlwaysOn, 1.0)]
    [InlineData("always_off", null, SamplerStrategy.AlwaysOff, 1.0)]
    [InlineData("traceidratio", "0.25", SamplerStrategy.Ratio, 0.25)]
    [InlineData("parentbased_traceidratio", "0.5", SamplerStrategy.ParentBasedRatio, 0.5)]
    [InlineData("parentbased_always_off", null, SamplerStrategy.ParentBasedAlwaysOff, 1.0)]
    [InlineData("traceidratio", null, SamplerStrategy.Ratio, 1.0)]
    [InlineData("parentbased_traceidratio", null, SamplerStrategy.ParentBasedRatio, 1.0)]
    [InlineData("TraceIdRatio", null, SamplerStrategy.Ratio, 1.0)]
    [InlineData("parentbased_ratio", null, SamplerStrategy.ParentBasedRatio, 1.0)]
    public void Otel_traces_sampler_and_its_argument_set_the_sampler(string sampler, string? argument, SamplerStrategy strategy, double ratio)
    {
        var environment = Env(("OTEL_TRACES_SAMPLER", sampler));
        if (argument is not null)
        {
            environment["OTEL_TRACES_SAMPLER_ARG"] = argument;
        }

        var settings = Config.Read("tracing:\n  enabled: true\n", environment);

        Assert.Equal(strategy, settings.Tracing.Sampler.Strategy);
        Assert.Equal(ratio, settings.Tracing.Sampler.Ratio);
    }

    [Fact]
    public void Otel_traces_sampler_arg_overrides_the_file_and_app_overrides_it()
    {
        Assert.Equal(0.3, Config.Read(Yaml, Env(("OTEL_TRACES_SAMPLER_ARG", "0.3"))).Tracing.Sampler.Ratio);
        Assert.Equal(0.7, Config.Read(Yaml, Env(("OTEL_TRACES_SAMPLER_ARG", "0.3"), ("APP__TRACING__SAMPLER__RATIO", "0.7"))).Tracing.Sampler.Ratio);
    }

    [Fact]
    public void An_out_of_range_otel_sampler_argument_is_an_error_naming_the_key()
    {
        var error = Config.Error(Yaml, Env(("OTEL_TRACES_SAMPLER_ARG", "7")));

        Assert.Equal("tracing.sampler.ratio: must be between 0 and 1 (got 7)", error);
    }

    [Fact]
    public void App_variables_are_case_insensitive_and_double_underscores_separate_levels()
    {
        var settings = Config.Read(Yaml, Env(
            ("app__Tracing__Exporter__Timeout_Ms", "4321"),
            ("APP__SERVER__PORT", "9100"),
            ("APP__LOGGING__DEFAULT__CONSOLE_LEVEL", "warn")));

        Assert.Equal(4321, settings.Tracing.Exporter.TimeoutMs);
        Assert.Equal(9100, settings.Server.Port);
        Assert.Equal(LogLevel.Warning, settings.Logging.ConsoleLevel);
    }

    [Fact]
    public void Two_app_variables_for_one_key_in_different_case_are_an_error_naming_both_reported_with_the_others()
    {
        var errors = Config.Errors(Yaml, Env(("APP__SERVER__PORT", "9100"), ("app__server__port", "9101"), ("APP__TRACING__ENABLED", "maybe")));

        Assert.Equal(2, errors.Count);
        Assert.Contains("server.port: set by two environment variables, APP__SERVER__PORT and app__server__port; unset one", errors);
        Assert.Contains(errors, e => e.StartsWith("tracing.enabled: must be true or false", StringComparison.Ordinal));
    }

    [Fact]
    public void Keys_in_the_file_and_on_the_command_line_are_case_insensitive()
    {
        var settings = Config.Read("Server:\n  PORT: 9200\nTracing:\n  Service_Name: upper\n", overrides: new Dictionary<string, string> { ["TRACING:EXPORTER:TIMEOUT_MS"] = "777" });

        Assert.Equal(9200, settings.Server.Port);
        Assert.Equal("upper", settings.Tracing.ServiceName);
        Assert.Equal(777, settings.Tracing.Exporter.TimeoutMs);
    }

    [Fact]
    public void Keys_with_dots_keep_their_dots_in_every_layer()
    {
        var settings = Config.Read(Yaml + "\nlogging:\n  Microsoft.AspNetCore:\n    console_level: error\n", Env(("APP__TRACING__RESOURCE__SERVICE.VERSION", "2.0.0")));

        Assert.Equal("2.0.0", settings.Tracing.Resource["service.version"]);
        Assert.Equal("dev", settings.Tracing.Resource["deployment.environment"]);
        Assert.Equal(LogLevel.Error, settings.Logging.Categories["Microsoft.AspNetCore"].ConsoleLevel);
        Assert.DoesNotContain(settings.Tracing.Resource.Keys, k => k.Contains(':'));
    }

    [Fact]
    public void A_shorter_list_in_a_higher_layer_replaces_the_lower_list_whole()
    {
        var fromEnvironment = Config.Read(Yaml, Env(("APP__TRACING__HTTP__RECORD_HEADERS__0", "x-only")));
        Assert.Equal(["x-only"], fromEnvironment.Tracing.Http.RecordHeaders);

        var fromCommandLine = Config.Read(
            Yaml,
            Env(("APP__TRACING__HTTP__RECORD_HEADERS__0", "x-env-1"), ("APP__TRACING__HTTP__RECORD_HEADERS__1", "x-env-2")),
            new Dictionary<string, string> { ["tracing:http:record_headers:0"] = "x-cli" });
        Assert.Equal(["x-cli"], fromCommandLine.Tracing.Http.RecordHeaders);
    }

    [Fact]
    public void A_list_given_as_one_comma_separated_variable_replaces_the_file_list()
    {
        var settings = Config.Read(Yaml, Env(("APP__TRACING__HTTP__RECORD_HEADERS", "User-Agent, x-forwarded-for")));

        Assert.Equal(["user-agent", "x-forwarded-for"], settings.Tracing.Http.RecordHeaders);
    }

    [Fact]
    public void A_list_in_a_module_config_is_replaced_whole_by_a_higher_layer()
    {
        var yaml = "modules:\n  examples:\n    config:\n      relay_allowed_hosts: [one.example, two.example, three.example]\n";

        var settings = Config.Read(yaml, Env(("APP__MODULES__EXAMPLES__CONFIG__RELAY_ALLOWED_HOSTS__0", "only.example")));

        var options = Assert.IsType<Hyperspot.Modules.Examples.ExamplesOptions>(settings.Modules.ByName["examples"].Options);
        Assert.Equal(["only.example"], options.EffectiveRelayAllowedHosts);
    }

    [Fact]
    public void Without_a_file_app_variables_and_the_command_line_still_apply()
    {
        var settings = Config.Read(null, Env(("APP__SERVER__PORT", "9300"), ("APP__MODULES__EXAMPLES__ENABLED", "false")), new Dictionary<string, string> { ["server:host"] = "0.0.0.0" });

        Assert.Equal(9300, settings.Server.Port);
        Assert.Equal("0.0.0.0", settings.Server.Host);
        Assert.False(settings.Modules.IsEnabled("examples"));
    }

    [Fact]
    public void Variables_without_the_app_prefix_are_ignored()
    {
        var settings = Config.Read(null, Env(("SERVER__PORT", "9400"), ("APPX__SERVER__PORT", "9401"), ("TRACING__SERVICE_NAME", "nope")));

        Assert.Equal(8087, settings.Server.Port);
        Assert.Equal("hyperspot", settings.Tracing.ServiceName);
    }
}
