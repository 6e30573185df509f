using Hyperspot.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Hyperspot.Deployment.Tests;

/// <summary>Consistency of deploy/otel-collector/config.yaml (no collector binary needed).</summary>
public sealed class CollectorConfigTests
{
    private const string ConfigPath = "deploy/otel-collector/config.yaml";

    private readonly YamlMappingNode _config = Yaml.LoadMapping(ConfigPath);

    private YamlMappingNode Pipelines => _config.Map("service").Map("pipelines", "service");

    [Fact]
    public void Every_component_referenced_by_a_pipeline_is_defined()
    {
        var problems = new List<string>();
        foreach (var (pipeline, node) in Pipelines.Entries())
        {
            var map = Assert.IsType<YamlMappingNode>(node);
            foreach (var kind in new[] { "receivers", "processors", "exporters" })
            {
                var defined = _config.Get(kind) as YamlMappingNode;
                if (map.Get(kind) is not YamlSequenceNode refs)
                {
                    if (kind != "processors")
                    {
                        problems.Add($"pipeline '{pipeline}' has no {kind}");
                    }

                    continue;
                }

                foreach (var id in refs.Strings($"service.pipelines.{pipeline}.{kind}"))
                {
                    if (defined is null || !defined.Has(id))
                    {
                        problems.Add($"pipeline '{pipeline}' uses {kind[..^1]} '{id}' that is not defined under '{kind}'");
                    }
                }
            }
        }

        if (_config.Map("service").Get("extensions") is YamlSequenceNode extensions)
        {
            var defined = _config.Get("extensions") as YamlMappingNode;
            foreach (var id in extensions.Strings("service.extensions"))
            {
                if (defined is null || !defined.Has(id))
                {
                    problems.Add($"service uses extension '{id}' that is not defined under 'extensions'");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [InlineData("traces")]
    [InlineData("logs")]
    [InlineData("metrics")]
    public void Pipeline_starts_with_memory_limiter_and_ends_with_batch(string pipeline)
    {
        var processors = Pipelines.Map(pipeline, "service.pipelines")
            .Seq("processors", $"service.pipelines.{pipeline}")
            .Strings($"service.pipelines.{pipeline}.processors");

        Assert.Equal("memory_limiter", TypeOf(processors[0]));
        Assert.Equal("batch", TypeOf(processors[^1]));
    }

    [Fact]
    public void Traces_are_tail_sampled_before_batching()
    {
        var processors = Pipelines.Map("traces").Seq("processors").Strings("service.pipelines.traces.processors");
        var tail = processors.ToList().FindIndex(p => TypeOf(p) == "tail_sampling");
        Assert.True(tail > 0, "The traces pipeline needs a tail_sampling processor after memory_limiter.");
        Assert.True(tail < processors.Count - 1, "tail_sampling must run before batch.");
    }

    [Fact]
    public void Tail_sampling_keeps_errors_slow_traces_and_a_probabilistic_share()
    {
        var tailSampling = _config.Map("processors").Map("tail_sampling", "processors");
        var policies = tailSampling.Seq("policies", "processors.tail_sampling").Children
            .Select(p => Assert.IsType<YamlMappingNode>(p))
            .ToList();

        Assert.Equal(3, policies.Count);
        Assert.Equal(policies.Count, policies.Select(p => p.Str("name", "policy")).Distinct(StringComparer.Ordinal).Count());

        var byType = policies.ToDictionary(p => p.Str("type", "policy"), StringComparer.Ordinal);
        Assert.True(byType.ContainsKey("status_code"), "Missing a status_code policy (errors).");
        Assert.True(byType.ContainsKey("latency"), "Missing a latency policy (slow traces).");
        Assert.True(byType.ContainsKey("probabilistic"), "Missing a probabilistic policy (baseline).");

        var codes = byType["status_code"].Map("status_code", "status_code policy")
            .Seq("status_codes", "status_code").Strings("status_code.status_codes");
        Assert.Equal(["ERROR"], codes);

        var threshold = byType["latency"].Map("latency", "latency policy").Number("threshold_ms", "latency");
        Assert.Equal(500, threshold);

        var percentage = byType["probabilistic"].Map("probabilistic", "probabilistic policy")
            .Number("sampling_percentage", "probabilistic");
        Assert.Equal(10, percentage);
    }

    [Fact]
    public void Otlp_receiver_listens_on_all_interfaces()
    {
        // Recent collectors default to localhost, which is unreachable from other containers.
        var protocols = _config.Map("receivers").Map("otlp", "receivers").Map("protocols", "receivers.otlp");
        Assert.Equal("0.0.0.0:4317", protocols.Map("grpc", "protocols").Str("endpoint", "protocols.grpc"));
        Assert.Equal("0.0.0.0:4318", protocols.Map("http", "protocols").Str("endpoint", "protocols.http"));
    }

    [Fact]
    public void Exports_traces_to_jaeger_and_uptrace_and_logs_and_metrics_to_uptrace()
    {
        var compose = ComposeFile.Load();
        var exporters = _config.Map("exporters");

        var traceExporters = Pipelines.Map("traces").Seq("exporters").Strings("service.pipelines.traces.exporters");
        var jaeger = Assert.Single(traceExporters, id => EndpointOf(exporters, id) == "jaeger:4317");
        var uptrace = Assert.Single(traceExporters, id => EndpointOf(exporters, id) == "uptrace:4317");

        foreach (var id in new[] { jaeger, uptrace })
        {
            Assert.Contains(TypeOf(id), new[] { "otlp_grpc", "otlp" });
            var tls = exporters.Map(id, "exporters").Map("tls", $"exporters.{id}");
            Assert.True(Yaml.IsTrue(tls.OptStr("insecure")), $"Exporter '{id}' must use tls.insecure: true inside compose.");

            // The target must be a compose service listening on that container port.
            var endpoint = EndpointOf(exporters, id)!;
            var host = Listen.HostOf(endpoint);
            Assert.True(compose.HasService(host), $"Exporter '{id}' targets '{host}', which is not a compose service.");
            Assert.Contains(compose.Ports(host), p => p.ContainerPort == Listen.PortOf(endpoint));
        }

        var dsn = exporters.Map(uptrace, "exporters").Map("headers", $"exporters.{uptrace}").Str("uptrace-dsn", "headers");
        Assert.Equal(UptraceDsn.Expected, dsn);

        var logExporters = Pipelines.Map("logs").Seq("exporters").Strings("service.pipelines.logs.exporters");
        Assert.Contains(uptrace, logExporters);

        var metricExporters = Pipelines.Map("metrics").Seq("exporters").Strings("service.pipelines.metrics.exporters");
        Assert.Contains(uptrace, metricExporters);
    }

    [Fact]
    public void Health_check_extension_is_reachable_from_the_host()
    {
        var endpoint = _config.Map("extensions").Map("health_check", "extensions").Str("endpoint", "extensions.health_check");
        Assert.Equal("0.0.0.0", Listen.HostOf(endpoint));

        var port = Listen.PortOf(endpoint);
        Assert.Contains(ComposeFile.Load().Ports("otel-collector"), p => p.ContainerPort == port);
        Assert.Contains("health_check", _config.Map("service").Seq("extensions", "service").Strings("service.extensions"));
    }

    private static string TypeOf(string componentId)
    {
        var slash = componentId.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? componentId : componentId[..slash];
    }

    private static string? EndpointOf(YamlMappingNode exporters, string id) =>
        exporters.Get(id) is YamlMappingNode exporter ? exporter.OptStr("endpoint") : null;
}
