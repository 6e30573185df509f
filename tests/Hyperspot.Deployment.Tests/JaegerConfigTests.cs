using Hyperspot.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Hyperspot.Deployment.Tests;

/// <summary>Consistency of deploy/jaeger/config.yaml, Jaeger v2's configuration (no Jaeger binary needed).</summary>
public sealed class JaegerConfigTests
{
    private const string ConfigPath = "deploy/jaeger/config.yaml";

    private readonly YamlMappingNode _config = Yaml.LoadMapping(ConfigPath);

    private YamlMappingNode Service => _config.Map("service");

    [Fact]
    public void The_traces_pipeline_receives_otlp_and_stores_through_jaeger_storage()
    {
        var traces = Service.Map("pipelines", "service").Map("traces", "service.pipelines");
        Assert.Equal(["otlp"], traces.Seq("receivers", "service.pipelines.traces").Strings("service.pipelines.traces.receivers"));
        Assert.Equal(["jaeger_storage_exporter"], traces.Seq("exporters", "service.pipelines.traces").Strings("service.pipelines.traces.exporters"));

        var problems = new List<string>();
        foreach (var kind in new[] { "receivers", "processors", "exporters" })
        {
            if (traces.Get(kind) is not YamlSequenceNode used)
            {
                continue;
            }

            foreach (var id in used.Strings($"service.pipelines.traces.{kind}"))
            {
                if (_config.Get(kind) is not YamlMappingNode defined || !defined.Has(id))
                {
                    problems.Add($"the traces pipeline uses {kind[..^1]} '{id}', which is not defined under '{kind}'");
                }
            }
        }

        foreach (var id in Service.Seq("extensions", "service").Strings("service.extensions"))
        {
            if (_config.Get("extensions") is not YamlMappingNode defined || !defined.Has(id))
            {
                problems.Add($"service uses extension '{id}', which is not defined under 'extensions'");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_ui_and_the_exporter_use_a_storage_backend_that_is_defined()
    {
        var extensions = _config.Map("extensions");
        var backends = extensions.Map("jaeger_storage", "extensions").Map("backends", "extensions.jaeger_storage");
        var queried = extensions.Map("jaeger_query", "extensions").Map("storage", "extensions.jaeger_query").Str("traces", "extensions.jaeger_query.storage");
        var written = _config.Map("exporters").Map("jaeger_storage_exporter", "exporters").Str("trace_storage", "exporters.jaeger_storage_exporter");

        Assert.True(backends.Has(queried), $"jaeger_query reads from '{queried}', which jaeger_storage does not define.");
        Assert.Equal(queried, written);
        Assert.Equal(["jaeger_storage", "jaeger_query"], Service.Seq("extensions", "service").Strings("service.extensions").Where(e => e.StartsWith("jaeger_", StringComparison.Ordinal)));
    }
}
