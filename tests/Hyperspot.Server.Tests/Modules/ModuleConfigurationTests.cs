using Hyperspot.Modules;
using Hyperspot.Modules.Examples;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Tests.Support;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Tests.Modules;

/// <summary><c>modules.&lt;name&gt;.enabled</c> and <c>modules.&lt;name&gt;.config</c>, bound to the module's typed options.</summary>
public class ModuleConfigurationTests
{
    private static readonly IModule[] Modules = [new FakeModule("vault") { OptionsType = typeof(FakeOptions) }, new FakeModule("plain")];

    private static FakeOptions Options(string yaml, IReadOnlyDictionary<string, string>? environment = null) =>
        Assert.IsType<FakeOptions>(Config.Read(yaml, environment, modules: Modules).Modules.ByName["vault"].Options);

    [Fact]
    public void Without_a_config_section_the_options_hold_their_defaults()
    {
        var options = Options("server:\n  port: 1\n");

        Assert.Equal("http://localhost:1234", options.BaseUrl);
        Assert.Equal(3, options.Count);
        Assert.Equal(["default-host"], options.Hosts);
    }

    [Fact]
    public void The_config_section_is_bound_to_the_typed_options()
    {
        var options = Options("modules:\n  vault:\n    config:\n      base_url: https://vault.example\n      count: 7\n      flag: true\n      hosts: [a.example, b.example]\n");

        Assert.Equal("https://vault.example", options.BaseUrl);
        Assert.Equal(7, options.Count);
        Assert.True(options.Flag);
        Assert.Equal(["a.example", "b.example"], options.Hosts);
    }

    [Fact]
    public void App_variables_reach_the_module_options()
    {
        var options = Options("modules:\n  vault:\n    config:\n      count: 7\n", new Dictionary<string, string> { ["APP__MODULES__VAULT__CONFIG__COUNT"] = "9" });

        Assert.Equal(9, options.Count);
    }

    [Fact]
    public void The_options_validation_errors_name_the_full_path_and_the_value()
    {
        var errors = Config.Errors("modules:\n  vault:\n    config:\n      base_url: vault.example\n      count: 500\n", modules: Modules);

        Assert.Contains("modules.vault.config.base_url: must be an absolute http:// or https:// URL (got 'vault.example')", errors);
        Assert.Contains("modules.vault.config.count: must be at most 100 (got 500)", errors);
    }

    [Fact]
    public void A_bad_examples_external_base_url_is_an_error_naming_it()
    {
        var error = Config.Error("modules:\n  examples:\n    config:\n      external_base_url: \"localhost:8080/api\"\n");

        Assert.Equal("modules.examples.config.external_base_url: must be an absolute http:// or https:// URL (got 'localhost:8080/api')", error);
    }

    [Fact]
    public void The_examples_options_are_bound()
    {
        var settings = Config.Read("modules:\n  examples:\n    config:\n      external_base_url: http://upstream.example:9000\n      relay_allowed_hosts: [upstream.example]\n");

        var options = Assert.IsType<ExamplesOptions>(settings.Modules.ByName["examples"].Options);
        Assert.Equal("http://upstream.example:9000", options.ExternalBaseUrl);
        Assert.Equal(["upstream.example"], options.EffectiveRelayAllowedHosts);
    }

    [Theory]
    [InlineData("count: many", "modules.vault.config.count: must be a whole number (got 'many')")]
    [InlineData("flag: sometimes", "modules.vault.config.flag: must be true or false (got 'sometimes')")]
    [InlineData("base_url: [a, b]", "modules.vault.config.base_url: must be a single value, not a section or list")]
    [InlineData("count: {a: 1}", "modules.vault.config.count: must be a single value, not a section or list")]
    [InlineData("hosts: {a: b}", "modules.vault.config.hosts: must be a list of values (found key 'a')")]
    public void A_value_of_the_wrong_type_is_an_error_naming_the_option(string line, string expected)
    {
        var error = Config.Error($"modules:\n  vault:\n    config:\n      {line}\n", modules: Modules);

        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_list_option_holds_exactly_the_configured_items_not_the_defaults_too()
    {
        Assert.Equal(["only.example"], Options("modules:\n  vault:\n    config:\n      hosts: [only.example]\n").Hosts);
    }

    [Fact]
    public void A_list_option_is_replaced_whole_by_a_higher_layer()
    {
        var options = Options(
            "modules:\n  vault:\n    config:\n      hosts: [one.example, two.example, three.example]\n      signing_secrets: [k1, k2]\n",
            new Dictionary<string, string> { ["APP__MODULES__VAULT__CONFIG__HOSTS__0"] = "env.example", ["APP__MODULES__VAULT__CONFIG__SIGNING_SECRETS"] = "" });

        Assert.Equal(["env.example"], options.Hosts);
        Assert.Empty(options.SigningSecrets);
    }

    [Fact]
    public void An_unknown_option_is_an_error_naming_the_closest_option()
    {
        var error = Config.Error("modules:\n  vault:\n    config:\n      baseurl: http://x\n", modules: Modules);

        Assert.StartsWith("modules.vault.config.baseurl: unknown key", error);
        Assert.Contains("'base_url'", error);
    }

    [Fact]
    public void Config_for_a_module_without_options_is_an_error()
    {
        var error = Config.Error("modules:\n  plain:\n    config:\n      anything: 1\n", modules: Modules);

        Assert.Equal("modules.plain.config.anything: unknown key (the plain module takes no configuration)", error);
    }

    [Fact]
    public void Enabled_false_disables_a_module_and_the_others_stay_enabled()
    {
        var settings = Config.Read("modules:\n  vault:\n    enabled: false\n", modules: Modules).Modules;

        Assert.False(settings.IsEnabled("vault"));
        Assert.True(settings.IsEnabled("plain"));
    }

    [Fact]
    public void An_unknown_module_name_is_an_error_suggesting_the_closest_module()
    {
        var error = Config.Error("modules:\n  valt:\n    enabled: false\n", modules: Modules);

        Assert.StartsWith("modules.valt: unknown module", error);
        Assert.Contains("'vault'", error);
    }

    [Fact]
    public void An_unknown_module_name_far_from_every_module_lists_the_known_ones()
    {
        var error = Config.Error("modules:\n  billing:\n    enabled: true\n", modules: Modules);

        Assert.StartsWith("modules.billing: unknown module", error);
        Assert.Contains("vault", error);
        Assert.Contains("plain", error);
    }
}
