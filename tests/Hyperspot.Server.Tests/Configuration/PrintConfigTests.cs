using Hyperspot.Modules;
using Hyperspot.Server.Cli;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Tests.Support;
using YamlDotNet.RepresentationModel;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Tests.Configuration;

/// <summary><c>--print-config</c>: the effective merged configuration as YAML, with every secret masked.</summary>
public class PrintConfigTests
{
    private const string Mask = "***REDACTED***";

    private static string Print(string? yaml, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyDictionary<string, string>? overrides = null, IReadOnlyCollection<IModule>? modules = null) =>
        ConfigurationPrinter.ToYaml(Config.Read(yaml, environment, overrides, modules).Effective);

    private static YamlMappingNode Parse(string printed)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(printed));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string Scalar(YamlMappingNode root, params string[] path)
    {
        YamlNode node = root;
        foreach (var segment in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(segment)];
        }

        return ((YamlScalarNode)node).Value!;
    }

    [Fact]
    public void It_is_yaml_holding_the_merged_value_of_every_layer_and_the_defaults()
    {
        var printed = Print(
            "tracing:\n  service_name: from-yaml\n  exporter:\n    timeout_ms: 1234\n",
            new Dictionary<string, string> { ["OTEL_TRACES_SAMPLER"] = "always_off", ["APP__SERVER__PORT"] = "9555" },
            new Dictionary<string, string> { ["tracing:service_name"] = "from-cli" });

        var root = Parse(printed);
        Assert.Equal("from-cli", Scalar(root, "tracing", "service_name"));
        Assert.Equal("1234", Scalar(root, "tracing", "exporter", "timeout_ms"));
        Assert.Equal("always_off", Scalar(root, "tracing", "sampler", "strategy"));
        Assert.Equal("9555", Scalar(root, "server", "port"));
        Assert.Equal("127.0.0.1", Scalar(root, "server", "host"));
        Assert.Equal("true", Scalar(root, "modules", "examples", "enabled"));
        Assert.Equal(["server", "tracing", "metrics", "logging", "modules"], root.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
    }

    [Fact]
    public void Every_exporter_header_value_is_masked_whatever_its_name_and_layer()
    {
        var printed = Print(
            "tracing:\n  exporter:\n    headers:\n      x-tenant: tenant-from-yaml\n      uptrace-dsn: \"http://project1_secret@localhost:14318?grpc=14317\"\n",
            new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-otel-key=otel-header-value",
                ["APP__TRACING__EXPORTER__HEADERS__AUTHORIZATION"] = "Bearer s3cr3t-value",
            });

        foreach (var secret in new[] { "tenant-from-yaml", "project1_secret", "otel-header-value", "s3cr3t-value" })
        {
            Assert.DoesNotContain(secret, printed);
        }

        var headers = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Parse(printed).Children["tracing"]).Children["exporter"]).Children["headers"];
        Assert.Equal(4, headers.Children.Count);
        Assert.All(headers.Children.Values, value => Assert.Equal(Mask, ((YamlScalarNode)value).Value));
    }

    [Theory]
    [InlineData("db.password")]
    [InlineData("client_secret")]
    [InlineData("auth.token")]
    [InlineData("sentry.dsn")]
    [InlineData("vendor.apikey")]
    [InlineData("api-key")]
    [InlineData("authorization")]
    [InlineData("X-Proxy-Authorization")]
    public void A_value_whose_key_names_a_secret_is_masked(string key)
    {
        var printed = Print($"tracing:\n  resource:\n    {key}: hunter2-value\n    team: visible-team\n");

        Assert.DoesNotContain("hunter2-value", printed);
        Assert.Contains($"{key}: '{Mask}'", printed);
        Assert.Contains("team: visible-team", printed);
    }

    [Theory]
    [InlineData("secret.value")]
    [InlineData("auth.token.id")]
    [InlineData("private_key")]
    [InlineData("aws.access_key_id")]
    [InlineData("credentials")]
    [InlineData("session.cookie")]
    [InlineData("jwt")]
    [InlineData("db.passwd")]
    [InlineData("pwd")]
    public void A_resource_attribute_is_masked_when_any_part_of_its_name_names_a_secret(string key)
    {
        var printed = Print($"tracing:\n  resource:\n    {key}: hunter2-value\n");

        Assert.DoesNotContain("hunter2-value", printed);
        Assert.Contains($"{key}: '{Mask}'", printed);
    }

    [Fact]
    public void Url_credentials_are_masked_whole_even_when_the_password_holds_a_space()
    {
        var printed = Print("tracing:\n  exporter:\n    endpoint: \"http://user:pa ss-XYZ@collector.internal:4317\"\n");

        Assert.DoesNotContain("ss-XYZ", printed);
        Assert.Contains($"http://{Mask}@collector.internal:4317", printed);
    }

    [Fact]
    public void Credentials_inside_urls_are_masked_and_the_rest_of_the_url_kept()
    {
        var printed = Print(
            "tracing:\n  exporter:\n    endpoint: \"http://admin:pa55word@collector.internal:4317\"\n" +
            "modules:\n  examples:\n    config:\n      external_base_url: \"https://user:t0psecret@api.example/v1\"\n");

        Assert.DoesNotContain("pa55word", printed);
        Assert.DoesNotContain("t0psecret", printed);
        Assert.DoesNotContain("admin:", printed);
        Assert.Contains($"http://{Mask}@collector.internal:4317", printed);
        Assert.Contains($"https://{Mask}@api.example/v1", printed);
    }

    [Fact]
    public void Secrets_in_a_module_config_are_masked_including_lists()
    {
        var module = new FakeModule("vault") { OptionsType = typeof(FakeOptions) };

        var printed = Print(
            "modules:\n  vault:\n    config:\n      api_token: tok-123456\n      signing_secrets: [first-signing-key, second-signing-key]\n      hosts: [visible.example]\n",
            modules: [module]);

        Assert.DoesNotContain("tok-123456", printed);
        Assert.DoesNotContain("signing-key", printed);
        Assert.Contains($"api_token: '{Mask}'", printed);
        Assert.Contains("visible.example", printed);
    }

    [Fact]
    public void Secrets_never_appear_in_error_messages_either()
    {
        var errors = Config.Errors(
            "tracing:\n  exporter:\n    kind: otlp_grpc\n    endpoint: \"http://admin:pa55word@collector:4318\"\n" +
            "modules:\n  examples:\n    config:\n      external_base_url: \"ftp://user:t0psecret@files.example\"\n");

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.DoesNotContain("pa55word", e));
        Assert.All(errors, e => Assert.DoesNotContain("t0psecret", e));
        Assert.Contains(errors, e => e.StartsWith("tracing.exporter.endpoint:") && e.Contains("collector:4318"));
    }

    [Theory]
    [InlineData("tracing:\n  exporter:\n    headers: \"authorization=Bearer s3cr3t-ENVH\"\n", null)]
    [InlineData("tracing:\n  enabled: true\n", "authorization=Bearer s3cr3t-ENVH")]
    public void Exporter_headers_given_as_one_value_are_an_error_that_does_not_echo_it(string yaml, string? variable)
    {
        var environment = variable is null ? null : new Dictionary<string, string> { ["APP__TRACING__EXPORTER__HEADERS"] = variable };

        var error = Config.Error(yaml, environment);

        Assert.StartsWith("tracing.exporter.headers: must be a section of keys", error);
        Assert.DoesNotContain("s3cr3t", error);
    }

    [Theory]
    [InlineData("http://user:pa/ss-XYZ@collector:4318")]
    [InlineData("user:pass-XYZ@collector:4318")]
    [InlineData("http:/user:pass-XYZ@collector:4318")]
    [InlineData("http://user:p@ss-XYZ@collector:4318")]
    public void An_invalid_endpoint_is_shown_without_its_credentials(string endpoint)
    {
        var error = Config.Error($"tracing:\n  exporter:\n    endpoint: \"{endpoint}\"\n");

        Assert.StartsWith("tracing.exporter.endpoint:", error);
        Assert.DoesNotContain("XYZ", error);
        Assert.Contains("collector:4318", error);
    }

    [Fact]
    public void A_module_error_that_quotes_a_secret_value_is_masked()
    {
        var module = new FakeModule("vault") { OptionsType = typeof(FakeOptions) };

        var error = Config.Error("modules:\n  vault:\n    config:\n      api_token: shh123\n", modules: [module]);

        Assert.StartsWith("modules.vault.config.api_token: must be at least 8 characters", error);
        Assert.DoesNotContain("shh123", error);
    }

    [Fact]
    public void A_bad_value_under_a_secret_key_is_not_echoed()
    {
        var module = new FakeModule("vault") { OptionsType = typeof(FakeOptions) };

        var error = Config.Error("tracing:\n  exporter:\n    headers:\n      authorization: \"Bearer abc\\u0001def\"\n", modules: [module]);

        Assert.StartsWith("tracing.exporter.headers.authorization:", error);
        Assert.DoesNotContain("abc", error);
    }

    [Fact]
    public void A_list_option_left_unset_prints_as_an_empty_list_not_null()
    {
        var printed = Print(null);

        Assert.Contains("relay_allowed_hosts: []", printed);
        var examples = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Parse(printed).Children[new YamlScalarNode("modules")]).Children[new YamlScalarNode("examples")]).Children[new YamlScalarNode("config")];
        Assert.Empty(Assert.IsType<YamlSequenceNode>(examples.Children[new YamlScalarNode("relay_allowed_hosts")]));
    }
}
