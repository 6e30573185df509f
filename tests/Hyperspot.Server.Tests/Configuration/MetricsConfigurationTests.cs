using Hyperspot.Server.Configuration;
using Hyperspot.Server.Tests.Support;

namespace Hyperspot.Server.Tests.Configuration;

/// <summary>The <c>metrics</c> section: its defaults, the YAML, the standard OTEL_* variables under APP__, and its errors.</summary>
public class MetricsConfigurationTests
{
    private const string Yaml = """
        metrics:
          enabled: true
          export_interval_ms: 15000
          exemplars: false
        """;

    private static Dictionary<string, string> Env(params (string Name, string Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void Without_a_file_metrics_are_off_every_minute_with_exemplars()
    {
        var metrics = Config.Read(null).Metrics;

        Assert.False(metrics.Enabled);
        Assert.Equal(60_000, metrics.ExportIntervalMs);
        Assert.True(metrics.Exemplars);
    }

    [Fact]
    public void The_file_sets_every_key()
    {
        var metrics = Config.Read(Yaml).Metrics;

        Assert.True(metrics.Enabled);
        Assert.Equal(15_000, metrics.ExportIntervalMs);
        Assert.False(metrics.Exemplars);
    }

    [Fact]
    public void Otel_metric_export_interval_overrides_the_file_and_app_variables_override_it()
    {
        Assert.Equal(5000, Config.Read(Yaml, Env(("OTEL_METRIC_EXPORT_INTERVAL", "5000"))).Metrics.ExportIntervalMs);
        Assert.Equal(7000, Config.Read(Yaml, Env(("OTEL_METRIC_EXPORT_INTERVAL", "5000"), ("APP__METRICS__EXPORT_INTERVAL_MS", "7000"))).Metrics.ExportIntervalMs);
    }

    [Fact]
    public void Otel_metrics_exporter_none_turns_metrics_off_otlp_leaves_them_as_configured()
    {
        Assert.False(Config.Read(Yaml, Env(("OTEL_METRICS_EXPORTER", "none"))).Metrics.Enabled);
        Assert.False(Config.Read(Yaml, Env(("OTEL_METRICS_EXPORTER", " NONE "))).Metrics.Enabled);
        Assert.True(Config.Read(Yaml, Env(("OTEL_METRICS_EXPORTER", "otlp"))).Metrics.Enabled);
        Assert.False(Config.Read(null, Env(("OTEL_METRICS_EXPORTER", "otlp"))).Metrics.Enabled);
        Assert.True(Config.Read(Yaml, Env(("OTEL_METRICS_EXPORTER", "none"), ("APP__METRICS__ENABLED", "true"))).Metrics.Enabled);
    }

    [Fact]
    public void Otel_sdk_disabled_turns_metrics_off_too()
    {
        var settings = Config.Read(Yaml + "\ntracing:\n  enabled: true\n", Env(("OTEL_SDK_DISABLED", "true")));

        Assert.False(settings.Metrics.Enabled);
        Assert.False(settings.Tracing.Enabled);
        Assert.True(Config.Read(Yaml, Env(("OTEL_SDK_DISABLED", "false"))).Metrics.Enabled);
    }

    [Fact]
    public void An_exporter_this_server_does_not_have_is_an_error_naming_the_variable()
    {
        var error = Config.Error(Yaml, Env(("OTEL_METRICS_EXPORTER", "otlp,prometheus")));

        Assert.Equal("metrics: OTEL_METRICS_EXPORTER: 'prometheus' is not supported; use otlp or none", error);
    }

    [Fact]
    public void An_export_interval_out_of_range_or_not_a_number_is_an_error_naming_its_path()
    {
        Assert.StartsWith("metrics.export_interval_ms:", Config.Error("metrics:\n  export_interval_ms: 0\n"));
        Assert.StartsWith("metrics.export_interval_ms:", Config.Error(null, Env(("OTEL_METRIC_EXPORT_INTERVAL", "soon"))));
        Assert.Contains("export_interval_ms", Config.Error("metrics:\n  export_interval: 1000\n"));
    }

    [Fact]
    public void Print_config_shows_the_section_with_its_defaults()
    {
        var metrics = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(Config.Read(null).Effective.Root["metrics"]);

        Assert.Equal(["enabled", "export_interval_ms", "exemplars"], metrics.Keys);
    }
}
