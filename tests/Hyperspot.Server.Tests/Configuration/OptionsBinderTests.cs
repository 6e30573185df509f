using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Hyperspot.Server.Cli;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hyperspot.Server.Tests.Configuration;

/// <summary>
/// The one binder of host sections and module options: a module's options type gets what the host's sections get
/// (nested sections, maps, lists, enums by their configuration names, the same messages), and the settings objects
/// hold the documented defaults on their own.
/// </summary>
public sealed class OptionsBinderTests
{
    [TypeConverter(typeof(ConfigNames))]
    public enum Colour
    {
        Red,
        [ConfigName("dark_blue", "navy")]
        DarkBlue,
    }

    public sealed class Limits : IValidatableObject
    {
        [Range(1, 10)]
        public int Low { get; set; } = 1;

        [Range(1, 10)]
        public int High { get; set; } = 5;

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
            Low > High ? [new ValidationResult($"must not be above high ({High}) (got {Low})", [nameof(Low)])] : [];
    }

    public sealed class NestedOptions
    {
        [ConfigurationKeyName("main_colour")]
        public Colour MainColour { get; set; } = Colour.Red;

        public Limits Limits { get; set; } = new();

        public Dictionary<string, string> Labels { get; set; } = [];

        public int[] Ports { get; set; } = [80];
    }

    private static IReadOnlyList<string> Errors(string yaml, IReadOnlyDictionary<string, string>? environment = null) =>
        Config.Errors(yaml, environment, modules: [new FakeModule("shop") { OptionsType = typeof(NestedOptions) }]);

    private static NestedOptions Read(string yaml, IReadOnlyDictionary<string, string>? environment = null) =>
        Assert.IsType<NestedOptions>(Config.Read(yaml, environment, modules: [new FakeModule("shop") { OptionsType = typeof(NestedOptions) }]).Modules.ByName["shop"].Options);

    [Fact]
    public void A_module_options_type_binds_nested_sections_maps_lists_and_enum_aliases()
    {
        var options = Read(
            "modules:\n  shop:\n    config:\n      main_colour: NAVY\n      limits:\n        low: 2\n        high: 9\n      labels:\n        team: core\n",
            new Dictionary<string, string> { ["APP__MODULES__SHOP__CONFIG__PORTS"] = "8080, 8081" });

        Assert.Equal(Colour.DarkBlue, options.MainColour);
        Assert.Equal((2, 9), (options.Limits.Low, options.Limits.High));
        Assert.Equal("core", options.Labels["team"]);
        Assert.Equal([8080, 8081], options.Ports);
    }

    [Fact]
    public void A_module_options_type_prints_like_a_host_section()
    {
        var printed = ConfigurationPrinter.ToYaml(Config.Read(
            "modules:\n  shop:\n    config:\n      main_colour: navy\n      labels:\n        api_token: t0k3n-value\n",
            modules: [new FakeModule("shop") { OptionsType = typeof(NestedOptions) }]).Effective);

        Assert.Contains("main_colour: dark_blue\n", printed);
        Assert.Contains("limits:\n        low: 1\n        high: 5\n", printed);
        Assert.Contains("api_token: '***REDACTED***'", printed);
        Assert.DoesNotContain("t0k3n-value", printed);
        Assert.Contains("ports:\n      - 80\n", printed);
    }

    [Fact]
    public void Every_problem_of_a_module_options_type_is_reported_at_once_with_the_host_messages()
    {
        var errors = Errors(
            "modules:\n  shop:\n    config:\n      main_colour: green\n      limits:\n        lwo: 1\n        high: 11\n      labels:\n        team:\n          a: b\n      ports: [1, x]\n");

        Assert.Equal(
            [
                "modules.shop.config.labels.team: must be a plain value, not a section",
                "modules.shop.config.limits.lwo: unknown key (did you mean 'low'?)",
                "modules.shop.config.main_colour: unknown value 'green' (accepted: red, dark_blue; also navy)",
                "modules.shop.config.ports: must be a whole number (got 'x')",
                "modules.shop.config.limits.high: must be between 1 and 10 (got 11)",
            ],
            errors);
    }

    [Fact]
    public void A_rule_across_keys_is_checked_once_each_key_is_valid()
    {
        Assert.Equal(
            "modules.shop.config.limits.low: must not be above high (5) (got 7)",
            Assert.Single(Errors("modules:\n  shop:\n    config:\n      limits:\n        low: 7\n")));
    }

    [Fact]
    public void A_log_category_with_dots_in_its_name_is_checked_as_one_section()
    {
        Assert.Equal(
            "logging.Microsoft.AspNetCore.consol_level: unknown key (did you mean 'console_level'?)",
            Config.Error("logging:\n  Microsoft.AspNetCore:\n    consol_level: warn\n"));
    }

    [Fact]
    public void A_module_option_out_of_its_range_reads_like_a_host_key_out_of_its_range()
    {
        var errors = Config.Errors("modules:\n  examples:\n    config:\n      relay_max_calls: 0\n      relay_max_body_bytes: -1\n      call_timeout_ms: 300001\n      max_response_bytes: 0\n");

        Assert.Equal(
            [
                "modules.examples.config.relay_max_calls: must be between 1 and 1000 (got 0)",
                "modules.examples.config.relay_max_body_bytes: must be between 1 and 16777216 (got -1)",
                "modules.examples.config.call_timeout_ms: must be between 1 and 300000 (got 300001)",
                "modules.examples.config.max_response_bytes: must be between 1 and 268435456 (got 0)",
            ],
            errors);
    }

    [Fact]
    public void A_new_settings_object_holds_the_documented_defaults_including_the_derived_ones()
    {
        Assert.Equal(Path.Combine(new ServerSettings().HomeDir, "logs", "hyperspot.log"), new LoggingSettings().File);
        Assert.Equal("http://127.0.0.1:4317", new ExporterSettings().Endpoint);
        Assert.Equal("http://127.0.0.1:4318", new ExporterSettings { Kind = ExporterKind.OtlpHttp }.Endpoint);
        Assert.Equal("http://collector:4318", new ExporterSettings { Kind = ExporterKind.OtlpHttp, Endpoint = "http://collector:4318" }.Endpoint);
    }

    [Fact]
    public void The_endpoint_default_follows_the_kind_from_any_layer()
    {
        var settings = Config.Read("tracing:\n  exporter:\n    kind: otlp_grpc\n", new Dictionary<string, string> { ["APP__TRACING__EXPORTER__KIND"] = "otlp_http" });

        Assert.Equal("http://127.0.0.1:4318", settings.Tracing.Exporter.Endpoint);
        Assert.Contains("endpoint: http://127.0.0.1:4318", ConfigurationPrinter.ToYaml(settings.Effective));
    }

    [Fact]
    public void Accepted_names_are_read_from_the_enums()
    {
        Assert.Equal("trace, debug, info, warn, error, off; also information, warning, critical, none", ConfigNames.For(typeof(LevelName)).Accepted);
        Assert.Equal(
            "always_on, always_off, ratio, parentbased_ratio, parentbased_always_on, parentbased_always_off; also traceidratio, parentbased_traceidratio",
            ConfigNames.For(typeof(SamplerStrategy)).Accepted);
        Assert.True(ConfigNames.TryParse<SamplerStrategy>(" ParentBased_TraceIdRatio ", out var strategy));
        Assert.Equal(SamplerStrategy.ParentBasedRatio, strategy);
        Assert.Equal("critical", ConfigNames.NameOf(LevelName.Critical));
        Assert.Equal(
            Enum.GetValues<LogLevel>().Select(level => (int)level),
            Enum.GetValues<LevelName>().Select(level => (int)level));
    }

    [Fact]
    public void The_host_sections_are_services_as_options()
    {
        var settings = Config.Read("server:\n  port: 9123\ntracing:\n  service_name: registered\n");
        using var services = new ServiceCollection().AddHyperspotOptions(settings).BuildServiceProvider();

        Assert.Same(settings, services.GetRequiredService<HyperspotSettings>());
        Assert.Equal(9123, services.GetRequiredService<IOptions<ServerSettings>>().Value.Port);
        Assert.Equal("registered", services.GetRequiredService<IOptions<TracingSettings>>().Value.ServiceName);
        Assert.Same(settings.Logging, services.GetRequiredService<IOptions<LoggingSettings>>().Value);

        // A service that asks for the monitor or a snapshot gets the configured values, not a fresh object of defaults.
        Assert.Equal(9123, services.GetRequiredService<IOptionsMonitor<ServerSettings>>().CurrentValue.Port);
        using var scope = services.CreateScope();
        Assert.Equal("registered", scope.ServiceProvider.GetRequiredService<IOptionsSnapshot<TracingSettings>>().Value.ServiceName);
    }
}
