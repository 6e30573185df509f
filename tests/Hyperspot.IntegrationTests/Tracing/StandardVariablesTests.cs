using Hyperspot.IntegrationTests.Support;
using Hyperspot.TestBackend;

namespace Hyperspot.IntegrationTests.Tracing;

/// <summary>The standard OTEL_* variables sit between the YAML file and APP__ variables.</summary>
[Collection(BackendCollection.Name)]
public sealed class StandardVariablesTests(BackendFixture fixture)
{
    private AspireDashboard Backend => fixture.Backend;

    [Fact]
    public async Task Otel_variables_configure_export_and_app_variables_win_over_them()
    {
        const string yaml = """
            server:
              home_dir: "{home}"
              port: {port}
            tracing:
              enabled: true
              service_name: "from-yaml"
              exporter:
                endpoint: "http://127.0.0.1:9"
            """;
        var otelService = "otel-" + Guid.NewGuid().ToString("N")[..8];
        var appService = "app-" + Guid.NewGuid().ToString("N")[..8];
        var environment = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Backend.OtlpHttpEndpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = otelService,
            ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment=staging,team=payments%2Cbilling",
            ["OTEL_TRACES_SAMPLER"] = "always_off",
            ["APP__TRACING__SAMPLER__STRATEGY"] = "always_on",
            ["APP__TRACING__SERVICE_NAME"] = appService,
        };
        await using var server = await TestServer.StartAsync(yaml, environment);
        using (var response = await server.Client.GetAsync("/examples/v1/upstream/data"))
        {
            Assert.True(response.IsSuccessStatusCode);
        }

        Assert.Equal(0, await server.StopAsync());
        var spans = await Backend.GetSpansAsync();
        var span = Assert.Single(spans, s => s.ServiceName == appService);
        Assert.Equal("staging", span.ResourceAttributes["deployment.environment"]);
        Assert.Equal("payments,billing", span.ResourceAttributes["team"]);
        Assert.DoesNotContain(spans, s => s.ServiceName == otelService || s.ServiceName == "from-yaml");
    }

    [Fact]
    public async Task Otel_sdk_disabled_turns_tracing_off()
    {
        await using var server = await TestServer.StartAsync(
            Configs.Tracing(Backend.OtlpGrpcEndpoint.ToString()),
            new Dictionary<string, string?> { ["OTEL_SDK_DISABLED"] = "true" });
        using (var response = await server.Client.GetAsync("/examples/v1/users/1"))
        {
            Assert.True(response.IsSuccessStatusCode);
        }

        var health = await server.Client.GetStringAsync("/health");
        Assert.Contains("\"enabled\":false", health);
        Assert.Equal(0, await server.StopAsync());
        Assert.DoesNotContain(await Backend.GetSpansAsync(), s => s.ServiceName == server.ServiceName);
        Assert.DoesNotContain("OpenTelemetry tracing initialized", server.Process.StandardOutput);
    }
}
