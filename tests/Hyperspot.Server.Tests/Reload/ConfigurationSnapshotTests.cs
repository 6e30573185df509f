using Hyperspot.Server.Redaction;
using Hyperspot.Server.Reload;
using Hyperspot.Server.Tests.Support;

namespace Hyperspot.Server.Tests.Reload;

/// <summary>Which keys a reload changes, and which of them the running server takes.</summary>
public sealed class ConfigurationSnapshotTests
{
    private const string Base = """
        server:
          port: 8087
        tracing:
          enabled: true
          exporter:
            endpoint: "http://127.0.0.1:4317"
            headers:
              authorization: "Bearer first-token"
          sampler:
            strategy: "always_off"
          http:
            record_headers: ["user-agent"]
        logging:
          default:
            console_level: "info"
        """;

    private static IReadOnlyList<KeyChange> Changes(string before, string after) =>
        ConfigurationSnapshot.Of(Config.Read(before)).ChangesTo(ConfigurationSnapshot.Of(Config.Read(after)));

    [Fact]
    public void The_same_file_changes_nothing()
    {
        Assert.Empty(Changes(Base, Base));
    }

    [Fact]
    public void Sampler_headers_and_levels_are_taken_live_with_old_and_new_values()
    {
        var after = Base
            .Replace("\"always_off\"", "\"ratio\"\n    ratio: 0.5")
            .Replace("[\"user-agent\"]", "[\"user-agent\", \"X-Tenant\"]")
            .Replace("console_level: \"info\"", "console_level: \"debug\"\n  Hyperspot.Examples:\n    file_level: \"trace\"");

        var changes = Changes(Base, after);

        Assert.Equal(
            [
                "logging.default.console_level = info -> debug",
                "logging.Hyperspot.Examples.file_level = (unset) -> trace",
                "tracing.http.record_headers = [user-agent] -> [user-agent, x-tenant]",
                "tracing.sampler.ratio = (unset) -> 0.5",
                "tracing.sampler.strategy = always_off -> ratio",
            ],
            changes.Select(c => c.ToString()));
        Assert.All(changes, c => Assert.False(c.NeedsRestart, c.Key));
    }

    [Fact]
    public void Port_endpoint_and_a_new_secret_need_a_restart_and_the_secret_stays_masked()
    {
        var after = Base.Replace("8087", "9000").Replace("127.0.0.1:4317", "10.0.0.1:4317").Replace("first-token", "second-token");

        var changes = Changes(Base, after);

        Assert.Equal(["server.port", "tracing.exporter.endpoint", "tracing.exporter.headers.authorization"], changes.Select(c => c.Key));
        Assert.All(changes, c => Assert.True(c.NeedsRestart, c.Key));
        var secret = changes.Single(c => c.Key == "tracing.exporter.headers.authorization");
        Assert.Equal((SecretRedactor.Mask, SecretRedactor.Mask), (secret.Old, secret.New));
        Assert.DoesNotContain(changes, c => c.ToString().Contains("token", StringComparison.Ordinal));
    }

    [Fact]
    public void A_change_that_needs_a_restart_is_reported_again_until_then_and_an_applied_one_is_not()
    {
        var after = Base.Replace("8087", "9000").Replace("\"always_off\"", "\"always_on\"");
        var running = ConfigurationSnapshot.Of(Config.Read(Base));
        var loaded = ConfigurationSnapshot.Of(Config.Read(after));

        var afterFirst = running.With(running.ChangesTo(loaded));

        Assert.Equal(["server.port"], afterFirst.ChangesTo(loaded).Select(c => c.Key));
    }

    [Theory]
    [InlineData("tracing.sampler.strategy", true)]
    [InlineData("tracing.sampler.ratio", true)]
    [InlineData("tracing.http.record_headers", true)]
    [InlineData("tracing.http.redact_headers", true)]
    [InlineData("logging.default.console_level", true)]
    [InlineData("logging.default.file_level", true)]
    [InlineData("logging.Microsoft.AspNetCore.console_level", true)]
    [InlineData("tracing.http.inject_request_id_header", false)]
    [InlineData("tracing.exporter.kind", false)]
    [InlineData("tracing.service_name", false)]
    [InlineData("tracing.resource.deployment.environment", false)]
    [InlineData("logging.default.file", false)]
    [InlineData("logging.otlp.enabled", false)]
    [InlineData("server.host", false)]
    [InlineData("modules.examples.enabled", false)]
    public void Only_the_sampler_the_recorded_headers_and_the_levels_reload(string key, bool reloadable)
    {
        Assert.Equal(reloadable, ReloadableKeys.Contains(key));
    }
}
